/** What roles may know about a host. Gathered in the probe round trip, or assumed (offline rendering). */
export interface Gpu {
  driverVersion?: string
  index: number
  memoryMb?: number
  name: string
  uuid?: string
}

export interface Disk {
  children: Disk[]
  fstype: null | string
  model: null | string
  mountpoint: null | string
  name: string
  pttype: null | string
  sizeBytes: number
  type: string
}

export interface Address {
  address: string
  family: 'inet' | 'inet6'
  ifname: string
  prefixlen: number
}

export interface Facts {
  addresses: Address[]
  /** Packages' architecture as Debian names it: amd64, arm64, armhf. */
  architecture: string
  /** true when these facts are assumed (inventory `assumed_facts` or defaults), not read from the host. */
  assumed: boolean
  coresPerSocket: number
  cpus: number
  disks: Disk[]
  fqdn: string
  gpus: Gpu[]
  hostname: string
  kernel: string
  machine: string
  memoryMb: number
  /** Epoch seconds on the host when probed. */
  now: number
  os: {codename: string; id: string; prettyName: string; versionId: string}
  python3: boolean
  sockets: number
  systemdVersion: number
  threadsPerCore: number
  /** systemd-detect-virt: `none`, `kvm`, `systemd-nspawn`, … */
  virtualization: string
  /** NVIDIA GPUs seen on the PCI bus (lspci), even without a driver. */
  pciGpus: string[]
  /** Epoch seconds of the newest apt package list, 0 when there is none. */
  aptListsMtime: number
}

type Raw = ReadonlyMap<string, string>

function osRelease(text: string): Facts['os'] {
  const values = new Map<string, string>()
  for (const line of text.split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line)
    if (match) values.set(match[1]!, match[2]!.replace(/^"(.*)"$/, '$1'))
  }
  return {
    codename: values.get('VERSION_CODENAME') ?? '',
    id: values.get('ID') ?? '',
    prettyName: values.get('PRETTY_NAME') ?? '',
    versionId: values.get('VERSION_ID') ?? '',
  }
}

function lscpuField(json: string, field: string): number | undefined {
  try {
    const parsed = JSON.parse(json) as {lscpu: Array<{data: string; field: string}>}
    const entry = parsed.lscpu.find((item) => item.field.replace(/:$/, '') === field)
    const value = entry ? Number.parseInt(entry.data, 10) : Number.NaN
    return Number.isFinite(value) ? value : undefined
  } catch {
    return undefined
  }
}

/** The fields the probe asks nvidia-smi for, in order (also the columns of output recorded without a header). */
export const NVIDIA_SMI_FIELDS = ['index', 'name', 'memory.total', 'uuid', 'driver_version'] as const

const FIELD_ALIASES: Record<string, string> = {gpu_name: 'name', gpu_uuid: 'uuid'}

/** `[N/A]`, `N/A`, `[Not Supported]`, `[Requested functionality has been deprecated]`, or nothing. */
function cellValue(cell: string | undefined): string | undefined {
  const value = cell?.trim() ?? ''
  return value === '' || /^\[.*\]$/.test(value) || value === 'N/A' ? undefined : value
}

function headerFields(cells: readonly string[]): string[] | undefined {
  const fields = cells.map((cell) => cell.trim().replace(/\s*\[[^\]]*\]$/, ''))
  const known = new Set<string>([...NVIDIA_SMI_FIELDS, ...Object.keys(FIELD_ALIASES)])
  return fields.every((field) => /^[a-z][\w.]*$/i.test(field)) && fields.some((field) => known.has(field))
    ? fields.map((field) => FIELD_ALIASES[field] ?? field)
    : undefined
}

/**
 * `nvidia-smi --query-gpu=… --format=csv[,noheader][,nounits]`. With a header line, columns are found by name (any
 * fields, in any order, with or without units); without one, `fields` names them in order. Lines that are not GPU
 * rows (`NVIDIA-SMI has failed …`, `No devices were found`) are skipped.
 */
export function parseNvidiaSmi(text: string, fields: readonly string[] = NVIDIA_SMI_FIELDS): Gpu[] {
  const rows = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => line.split(','))
  const header = rows[0] ? headerFields(rows[0]) : undefined
  const columns = header ?? fields.map((field) => FIELD_ALIASES[field] ?? field)
  const column = (row: readonly string[], field: string) => cellValue(row[columns.indexOf(field)])
  return (header ? rows.slice(1) : rows)
    .filter((row) => row.length === columns.length && column(row, 'name') !== undefined)
    .map((row, position) => {
      const index = Number.parseInt(column(row, 'index') ?? '', 10)
      const memoryMb = Number.parseInt(column(row, 'memory.total') ?? '', 10)
      const uuid = column(row, 'uuid')
      const driverVersion = column(row, 'driver_version')
      return {
        index: Number.isFinite(index) ? index : position,
        name: column(row, 'name')!,
        ...(Number.isFinite(memoryMb) ? {memoryMb} : {}),
        ...(uuid ? {uuid} : {}),
        ...(driverVersion ? {driverVersion} : {}),
      }
    })
}

/** `lspci -nn -d 10de:`: the NVIDIA display controllers (class 03xx), not their audio or USB functions. */
export function parseLspciGpus(text: string): string[] {
  return text
    .split('\n')
    .map((line) => /^(\S+) [^[]*\[03[0-9a-f]{2}\]: (.+)$/i.exec(line))
    .flatMap((match) => (match ? [`${match[1]} ${match[2]}`] : []))
}

function addresses(json: string): Address[] {
  try {
    const links = JSON.parse(json) as Array<{
      addr_info?: Array<{family: string; local: string; prefixlen: number; scope?: string}>
      ifname: string
    }>
    return links.flatMap((link) =>
      (link.addr_info ?? [])
        .filter(
          (info) =>
            (info.family === 'inet' || info.family === 'inet6') && info.scope !== 'host' && link.ifname !== 'lo',
        )
        .map((info) => ({
          address: info.local,
          family: info.family as Address['family'],
          ifname: link.ifname,
          prefixlen: info.prefixlen,
        })),
    )
  } catch {
    return []
  }
}

function disks(json: string): Disk[] {
  type Raw = {
    children?: Raw[]
    fstype: null | string
    model?: null | string
    mountpoint: null | string
    name: string
    pttype: null | string
    size: number | string
    type: string
  }
  const convert = (d: Raw): Disk => ({
    children: (d.children ?? []).map(convert),
    fstype: d.fstype,
    model: d.model?.trim() ?? null,
    mountpoint: d.mountpoint,
    name: d.name,
    pttype: d.pttype,
    sizeBytes: Number(d.size),
    type: d.type,
  })
  try {
    return (JSON.parse(json) as {blockdevices: Raw[]}).blockdevices.map(convert)
  } catch {
    return []
  }
}

/** Build facts from the probe's raw `F name value` lines. */
export function factsFromProbe(raw: Raw): Facts {
  const get = (name: string) => (raw.get(name) ?? '').trim()
  const cpus = Number.parseInt(get('nproc'), 10) || 1
  const lscpu = get('lscpu')
  const threadsPerCore = lscpuField(lscpu, 'Thread(s) per core') ?? 1
  const coresPerSocket = lscpuField(lscpu, 'Core(s) per socket') ?? lscpuField(lscpu, 'Core(s) per cluster') ?? cpus
  const sockets = lscpuField(lscpu, 'Socket(s)') ?? Math.max(1, Math.round(cpus / (coresPerSocket * threadsPerCore)))
  const memTotalKb = Number.parseInt(/^MemTotal:\s+(\d+)/m.exec(get('meminfo'))?.[1] ?? '0', 10)
  return {
    addresses: addresses(get('addresses')),
    aptListsMtime: Number.parseInt(get('apt_lists'), 10) || 0,
    architecture: get('dpkg_arch') || get('machine'),
    assumed: false,
    coresPerSocket,
    cpus,
    disks: disks(get('lsblk')),
    fqdn: get('fqdn') || get('hostname'),
    gpus: parseNvidiaSmi(get('nvidia_smi')),
    hostname: get('hostname'),
    kernel: get('kernel'),
    machine: get('machine'),
    memoryMb: Math.floor(memTotalKb / 1024),
    now: Number.parseInt(get('now'), 10) || 0,
    os: osRelease(get('os_release')),
    pciGpus: parseLspciGpus(get('lspci_gpus')),
    python3: get('python3') !== '',
    sockets,
    systemdVersion: Number.parseInt(/systemd (\d+)/.exec(get('systemd'))?.[1] ?? '0', 10),
    threadsPerCore,
    virtualization: get('virt') || 'none',
  }
}

/** An `assumed_facts.gpus` entry: `{name or model, memory_mb, uuid, driver_version}`. */
function assumedGpu(given: Record<string, unknown>, index: number): Gpu {
  const text = (key: string) => (typeof given[key] === 'string' ? (given[key] as string) : undefined)
  const memoryMb = given.memory_mb
  const uuid = text('uuid')
  const driverVersion = text('driver_version')
  return {
    index: typeof given.index === 'number' ? given.index : index,
    name: text('name') ?? text('model') ?? 'unknown',
    ...(typeof memoryMb === 'number' ? {memoryMb} : {}),
    ...(uuid ? {uuid} : {}),
    ...(driverVersion ? {driverVersion} : {}),
  }
}

/** Facts for offline work: the host's `assumed_facts` inventory variable over conservative defaults. */
export function assumedFacts(host: string, vars: Readonly<Record<string, unknown>>): Facts {
  const given = (vars.assumed_facts ?? {}) as Partial<Record<string, unknown>>
  const number = (key: string, fallback: number) => (typeof given[key] === 'number' ? (given[key] as number) : fallback)
  const string = (key: string, fallback: string) => (typeof given[key] === 'string' ? (given[key] as string) : fallback)
  const cpus = number('cpus', 4)
  const address = typeof vars.ansible_host === 'string' ? vars.ansible_host : undefined
  const gpus = Array.isArray(given.gpus) ? (given.gpus as Array<Record<string, unknown>>) : []
  return {
    addresses: address
      ? [{address, family: address.includes(':') ? 'inet6' : 'inet', ifname: 'eth0', prefixlen: 24}]
      : [],
    aptListsMtime: 0,
    architecture: string('architecture', 'arm64'),
    assumed: true,
    coresPerSocket: number('cores_per_socket', cpus),
    cpus,
    disks: [],
    fqdn: host,
    gpus: gpus.map((gpu, index) => assumedGpu(gpu, index)),
    hostname: host,
    kernel: '',
    machine: string('architecture', 'arm64') === 'amd64' ? 'x86_64' : 'aarch64',
    memoryMb: number('memory_mb', 3797),
    now: 0,
    os: {
      codename: string('os_codename', 'bookworm'),
      id: string('os_id', 'debian'),
      prettyName: '',
      versionId: string('os_version_id', '12'),
    },
    pciGpus: [],
    python3: true,
    sockets: number('sockets', 1),
    systemdVersion: number('systemd_version', 252),
    threadsPerCore: number('threads_per_core', 1),
    virtualization: 'none',
  }
}
