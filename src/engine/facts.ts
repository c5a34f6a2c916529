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

/** `nvidia-smi --query-gpu=index,name,memory.total,uuid,driver_version --format=csv,noheader,nounits` */
export function parseNvidiaSmi(text: string): Gpu[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('NVIDIA-SMI has failed'))
    .map((line) => {
      const [index, name, memory, uuid, driver] = line.split(',').map((part) => part.trim())
      const memoryMb = Number.parseInt(memory ?? '', 10)
      return {
        index: Number.parseInt(index ?? '0', 10),
        name: name ?? 'unknown',
        ...(Number.isFinite(memoryMb) ? {memoryMb} : {}),
        ...(uuid ? {uuid} : {}),
        ...(driver ? {driverVersion: driver} : {}),
      }
    })
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
    pciGpus: get('lspci_gpus').split('\n').filter(Boolean),
    python3: get('python3') !== '',
    sockets,
    systemdVersion: Number.parseInt(/systemd (\d+)/.exec(get('systemd'))?.[1] ?? '0', 10),
    threadsPerCore,
    virtualization: get('virt') || 'none',
  }
}

/** Facts for offline work: the host's `assumed_facts` inventory variable over conservative defaults. */
export function assumedFacts(host: string, vars: Readonly<Record<string, unknown>>): Facts {
  const given = (vars.assumed_facts ?? {}) as Partial<Record<string, unknown>>
  const number = (key: string, fallback: number) => (typeof given[key] === 'number' ? (given[key] as number) : fallback)
  const string = (key: string, fallback: string) => (typeof given[key] === 'string' ? (given[key] as string) : fallback)
  const cpus = number('cpus', 4)
  const address = typeof vars.ansible_host === 'string' ? vars.ansible_host : undefined
  const gpus = Array.isArray(given.gpus) ? (given.gpus as Array<Partial<Gpu> & {name: string}>) : []
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
    gpus: gpus.map((gpu, index) => ({...gpu, index: gpu.index ?? index, name: gpu.name})),
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
