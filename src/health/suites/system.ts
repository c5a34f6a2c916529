import type {HostCheck, HostInput, Suite, Verdict} from '../model.js'

import {parseResources, type Resources, RESOURCES_PROBE} from '../resources.js'
import {fail, formatBytes, pass, probeProblem, skip, verdictIf} from '../verdict.js'

function resourceCheck(
  name: string,
  summary: string,
  judge: (resources: Resources, input: HostInput) => Verdict | undefined,
): HostCheck {
  return {
    evaluate: (input) => {
      const problem = probeProblem(input.result, 'the resource probe')
      const resources = input.result && !problem ? parseResources(input.result) : undefined
      const verdict = resources && judge(resources, input)
      return [verdict ?? fail(name, summary, problem ?? 'could not read it from /proc and df')]
    },
    groups: ['all'],
    name,
    probe: () => RESOURCES_PROBE,
    summary,
  }
}

const percent = (value: number) => `${value.toFixed(1)}%`

/** Inside a container these figures are its host's, shared with everything else there: judge nothing. */
function hostWide(verdict: Verdict, resources: Resources, source: string): Verdict {
  if (!resources.container) return verdict
  return skip(verdict.name, verdict.expected, `container (${resources.container}): ${source} is its host's`)
}

const cpu = resourceCheck('cpu', 'CPU usage under its threshold', (r, {context}) => {
  if (r.cpuPercent === undefined) return undefined
  const max = context.settings.cpuPercentMax
  const verdict = verdictIf(
    r.cpuPercent < max,
    'cpu',
    `CPU busy under ${max}% (health_cpu_percent_max)`,
    `${percent(r.cpuPercent)} busy over 0.5 s`,
    'top -o %CPU: what keeps the CPUs busy?',
  )
  return hostWide(verdict, r, '/proc/stat')
})

const memory = resourceCheck('memory', 'Memory usage under its threshold', (r, {context}) => {
  if (r.memoryTotalBytes === undefined || r.memoryAvailableBytes === undefined) return undefined
  const used = r.memoryTotalBytes - r.memoryAvailableBytes
  const share = (100 * used) / r.memoryTotalBytes
  const max = context.settings.memoryPercentMax
  const verdict = verdictIf(
    share < max,
    'memory',
    `memory used under ${max}% (health_memory_percent_max)`,
    `${percent(share)} used (${formatBytes(used)} of ${formatBytes(r.memoryTotalBytes)})`,
    'ps aux --sort=-rss | head: what holds the memory?',
  )
  return hostWide(verdict, r, '/proc/meminfo')
})

const disk = resourceCheck('disk', 'Root filesystem usage under its threshold', (r, {context}) => {
  if (r.diskUsedBytes === undefined || r.diskAvailableBytes === undefined) return undefined
  const capacity = r.diskUsedBytes + r.diskAvailableBytes
  const share = capacity > 0 ? (100 * r.diskUsedBytes) / capacity : 0
  const max = context.settings.diskPercentMax
  return verdictIf(
    share < max,
    'disk',
    `/ used under ${max}% (health_disk_percent_max)`,
    `${percent(share)} used (${formatBytes(r.diskAvailableBytes)} free of ${formatBytes(capacity)})`,
    'du -xh / 2>/dev/null | sort -h | tail: what fills the root filesystem?',
  )
})

const load = resourceCheck('load', '1-minute load under its threshold per CPU', (r, {context}) => {
  if (r.load1 === undefined || r.cpus === undefined) return undefined
  const max = context.settings.loadPerCpuMax * r.cpus
  const verdict = verdictIf(
    r.load1 < max,
    'load',
    `1-minute load under ${max} (${context.settings.loadPerCpuMax} per CPU × ${r.cpus}, health_load_per_cpu_max)`,
    `load ${r.load1.toFixed(2)} on ${r.cpus} CPUs`,
    'uptime; top: what is runnable or stuck in I/O?',
  )
  return hostWide(verdict, r, '/proc/loadavg')
})

const systemd: HostCheck = {
  evaluate: ({result}) => {
    const expected = 'systemd running, no failed units'
    const problem = probeProblem(result, 'systemctl')
    if (problem || !result) return [fail('systemd', expected, problem ?? 'no result')]
    const [state = '', ...failed] = result.stdout.trim().split('\n')
    const units = failed.map((line) => line.trim().split(/\s+/)[0]).filter(Boolean)
    if (state === 'running' && units.length === 0) return [pass('systemd', expected, 'running')]
    return [
      fail(
        'systemd',
        expected,
        units.length > 0 ? `${state}; failed: ${units.join(', ')}` : state || 'unknown',
        units.length > 0 ? `systemctl status ${units[0]}; journalctl -u ${units[0]} -n 50` : 'systemctl list-jobs',
      ),
    ]
  },
  groups: ['all'],
  name: 'systemd',
  probe: () => ({script: 'systemctl is-system-running\nsystemctl --failed --no-legend --plain --no-pager\ntrue'}),
  summary: 'systemd reports running and no unit has failed',
}

export const SYSTEM: Suite = {
  clusterChecks: [],
  hostChecks: [cpu, memory, disk, load, systemd],
  name: 'system',
  summary: 'Resource headroom (CPU, memory, root disk, load per CPU) and systemd state, on every host.',
}
