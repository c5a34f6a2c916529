import type {Probe, ProbeResult} from './model.js'

/** CPU over half a second (run alone, before the other probes), load, CPU count, memory and the root filesystem. */
export const RESOURCES_PROBE: Probe = {
  first: true,
  script: `printf 'cpu1 %s\\n' "$(head -n 1 /proc/stat)"
sleep 0.5
printf 'cpu2 %s\\n' "$(head -n 1 /proc/stat)"
printf 'load %s\\n' "$(cat /proc/loadavg)"
printf 'nproc %s\\n' "$(nproc)"
grep -E '^(MemTotal|MemAvailable):' /proc/meminfo
printf 'df %s\\n' "$(df -P -B1 / | tail -n 1)"
printf 'virt %s\\n' "$(systemd-detect-virt --container 2>/dev/null)"`,
}

export interface Resources {
  /** systemd-detect-virt --container: a container without lxcfs sees its host's /proc/stat, loadavg and meminfo. */
  container?: string
  /** Busy share of all CPUs over the sample, 0–100. */
  cpuPercent?: number
  load1?: number
  cpus?: number
  memoryTotalBytes?: number
  memoryAvailableBytes?: number
  diskSizeBytes?: number
  diskUsedBytes?: number
  diskAvailableBytes?: number
}

function cpuTimes(line: string | undefined): {busy: number; total: number} | undefined {
  const values = (line ?? '').trim().split(/\s+/).slice(1).map(Number)
  if (values.length < 4 || values.some((value) => !Number.isFinite(value))) return undefined
  const total = values.slice(0, 8).reduce((sum, value) => sum + value, 0)
  const idle = (values[3] ?? 0) + (values[4] ?? 0)
  return {busy: total - idle, total}
}

export function parseResources(result: ProbeResult): Resources {
  const lines = new Map<string, string>()
  for (const line of result.stdout.split('\n')) {
    const match = /^(\S+?):?\s+(.*)$/.exec(line)
    if (match) lines.set(match[1]!, match[2]!)
  }
  const resources: Resources = {}
  const first = cpuTimes(lines.get('cpu1'))
  const second = cpuTimes(lines.get('cpu2'))
  if (first && second && second.total > first.total) {
    resources.cpuPercent = (100 * (second.busy - first.busy)) / (second.total - first.total)
  }
  const load1 = Number((lines.get('load') ?? '').split(/\s+/)[0])
  if (lines.has('load') && Number.isFinite(load1)) resources.load1 = load1
  const cpus = Number(lines.get('nproc'))
  if (Number.isInteger(cpus) && cpus > 0) resources.cpus = cpus
  const kib = (key: string) => Number.parseInt(lines.get(key) ?? '', 10) * 1024
  if (Number.isFinite(kib('MemTotal')) && Number.isFinite(kib('MemAvailable'))) {
    resources.memoryTotalBytes = kib('MemTotal')
    resources.memoryAvailableBytes = kib('MemAvailable')
  }
  const df = (lines.get('df') ?? '').trim().split(/\s+/)
  const [size, used, available] = [Number(df[1]), Number(df[2]), Number(df[3])]
  if (df.length >= 4 && [size, used, available].every(Number.isFinite)) {
    resources.diskSizeBytes = size
    resources.diskUsedBytes = used
    resources.diskAvailableBytes = available
  }
  const virt = lines.get('virt')?.trim()
  if (virt && virt !== 'none') resources.container = virt
  return resources
}
