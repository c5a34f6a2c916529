import type {BenchResults, NodeCountResults} from './results.js'

import {DEFAULT_PROBE_TIMEOUT_SECONDS} from '../src/health/script.js'
import {median, seconds, type Timing, timingTable} from './measure.js'
import {ROLES, TOOL} from './workloads.js'

export interface TargetVerdict {
  measured: string
  status: string
  target: string
}

const ms = (value: number) => `${Math.round(value)} ms`
const ratio = (value: number) => `${value.toFixed(2)}×`
const byName = (timings: readonly Timing[], name: string) => timings.find((timing) => timing.name === name)
/** Node counts where the converge workloads ran. */
const converged = (results: BenchResults) =>
  results.counts.filter(
    (count): count is NodeCountResults & Required<Pick<NodeCountResults, 'health' | 'roundTrips'>> =>
      count.health !== undefined && count.roundTrips !== undefined,
  )
const at = (results: BenchResults, nodes: number) => results.counts.find((count) => count.nodes === nodes)

/** The per-host slope of the median a workload's timing has at 17 and at 50 nodes; undefined without both. */
function slope(results: BenchResults, timing: (count: NodeCountResults) => Timing | undefined): number | undefined {
  const [low, high] = [at(results, 17), at(results, 50)]
  const [a, b] = [low && timing(low), high && timing(high)]
  return low && high && a && b ? (b.median - a.median) / (high.nodes - low.nodes) : undefined
}

/** Slope of goldentooth's median between 17 and 50 nodes, per extra host. */
export function marginalCosts(results: BenchResults): Array<{ms: number; workload: string}> | undefined {
  if (!at(results, 17) || !at(results, 50)) return undefined
  return [
    {timing: (count: NodeCountResults) => byName(count.adhoc, TOOL.goldentooth), workload: 'ad-hoc'},
    ...ROLES.map((role) => ({
      timing: (count: NodeCountResults) => byName(count.noop[role], TOOL.goldentooth),
      workload: `no-op ${role}`,
    })),
  ].flatMap(({timing, workload}) => {
    const ms = slope(results, timing)
    return ms === undefined ? [] : [{ms, workload}]
  })
}

/** Every tool's ad-hoc slope between 17 and 50 nodes: what one more lab node costs whatever the tool. */
function adhocSlopes(results: BenchResults): string[][] {
  return (at(results, 17)?.adhoc ?? []).flatMap(({name}) => {
    const ms = slope(results, (count) => byName(count.adhoc, name))
    return ms === undefined ? [] : [[name, `${ms.toFixed(1)} ms per host`]]
  })
}

/** A speed-up `value` (times faster) against its `target`. */
function fasterBy(label: string, value: number, target: number) {
  return {label, missedBy: ratio(target - value), ok: value >= target, value: `${ratio(value)} faster`}
}

function verdict(target: string, checks: Array<{label: string; missedBy?: string; ok: boolean; value: string}>) {
  if (checks.length === 0) return {measured: 'not measured in this run', status: '—', target}
  const missed = checks.filter((check) => !check.ok)
  return {
    measured: checks.map((check) => `${check.label}: ${check.value}`).join('; '),
    status:
      missed.length === 0
        ? '**met**'
        : `**missed** (${missed.map((check) => `${check.label}${check.missedBy ? ` by ${check.missedBy}` : ''}`).join('; ')})`,
    target,
  }
}

export function targets(results: BenchResults): TargetVerdict[] {
  const large = results.counts.filter((count) => count.nodes === 17 || count.nodes === 50)
  const adhocRatio = (count: NodeCountResults, peer: string) =>
    byName(count.adhoc, TOOL.goldentooth)!.median / byName(count.adhoc, peer)!.median
  const verdicts: TargetVerdict[] = [
    verdict(
      'ad-hoc within 1.3× of GNU parallel + ssh (17 and 50 nodes)',
      large.map((count) => {
        const value = adhocRatio(count, TOOL.parallel)
        return {
          label: `${count.nodes} nodes`,
          missedBy: `${ratio(value - 1.3)} (${Math.round((value / 1.3 - 1) * 100)}% over)`,
          ok: value <= 1.3,
          value: `${ratio(value)} of GNU parallel`,
        }
      }),
    ),
    verdict(
      'ad-hoc at least 5× faster than Ansible (17 and 50 nodes)',
      large.map((count) => {
        const value = 1 / adhocRatio(count, TOOL.ansible)
        return fasterBy(`${count.nodes} nodes`, value, 5)
      }),
    ),
    verdict(
      'no-op converge at least 10× faster than Ansible',
      results.counts.flatMap((count) =>
        ROLES.flatMap((role) => {
          const ansible = byName(count.noop[role], TOOL.ansible)
          if (!ansible) return []
          const value = ansible.median / byName(count.noop[role], TOOL.goldentooth)!.median
          return [fasterBy(`${role}, ${count.nodes} nodes`, value, 10)]
        }),
      ),
    ),
    verdict(
      'no-op converge: one probe round trip per host',
      results.counts.flatMap((count) =>
        ROLES.flatMap((role) => {
          if (!count.roundTrips) return []
          const {perHost} = count.roundTrips[role]
          const ok =
            perHost.exec.min === 1 &&
            perHost.exec.max === 1 &&
            perHost.connect.max === 1 &&
            perHost.upload.max === 0 &&
            perHost.download.max === 0
          return {
            label: `${role}, ${count.nodes} nodes`,
            ok,
            value: `${perHost.exec.max === perHost.exec.min ? perHost.exec.max : `${perHost.exec.min}–${perHost.exec.max}`} exec, ${perHost.upload.max + perHost.download.max} SFTP per host`,
          }
        }),
      ),
    ),
  ]
  const version = results.startup.find((timing) => timing.name === 'goldentooth --version')
  verdicts.push(
    verdict(
      'start-up under 300 ms for --version',
      version
        ? [
            {
              label: 'median',
              missedBy: ms(version.median - 300),
              ok: version.median < 300,
              value: ms(version.median),
            },
          ]
        : [],
    ),
  )
  verdicts.push(
    verdict(
      'marginal cost of one more host under 20 ms at 50 nodes (slope of the median, 17 → 50 nodes)',
      (marginalCosts(results) ?? []).map((cost) => ({
        label: cost.workload,
        missedBy: ms(cost.ms - 20),
        ok: cost.ms < 20,
        value: `${cost.ms.toFixed(1)} ms/host`,
      })),
    ),
  )
  return verdicts
}

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n')
}

function firstRunsSection(results: BenchResults): string {
  const rows = converged(results).flatMap((count) =>
    ROLES.map((role) => {
      const cells = (['goldentooth', 'Ansible'] as const).map((tool) => count.first[role][tool] ?? [])
      const medians = cells.map((runs) => (runs.length > 0 ? median(runs) : Number.NaN))
      const fastest = Math.min(...medians)
      return [
        `${count.nodes}`,
        role,
        ...cells.flatMap((runs, index) =>
          runs.length === 0
            ? ['—', '0']
            : [`${seconds(medians[index]!, 1)} (${runs.map((run) => seconds(run, 1)).join(', ')})`, `${runs.length}`],
        ),
        Number.isNaN(medians[1]! / medians[0]!) ? '—' : ratio(medians[1]! / medians[0]!),
        medians.some((value) => Number.isNaN(value)) ? '—' : fastest === medians[0] ? 'goldentooth' : 'Ansible',
      ]
    }),
  )
  const planned = converged(results)
    .map((count) => `${count.firstRunsTarget} at ${count.nodes} nodes`)
    .join(', ')
  return `Each first run starts from freshly booted nodes (\`lab down\` + \`lab up --nodes N\` before it): packages are
installed (through the lab's apt proxy, warm after the first run), files written, services started. goldentooth's first
round runs on the lab the ad-hoc workload used, Ansible's on a fresh one; further rounds alternate. Planned per tool:
${planned}; a further round only starts within ${results.budgets.firstRunMs / 60_000} minutes of the first, because each
round costs two lab reboots and minutes of package installation per tool. The runs columns say how many actually ran.

${table(['nodes', 'role', 'goldentooth median (runs)', 'runs', 'Ansible median (runs)', 'runs', 'Ansible / goldentooth', 'fastest'], rows)}`
}

function roundTripsTable(results: BenchResults): string {
  const span = ({max, min}: {max: number; min: number}) => (max === min ? `${max}` : `${min}–${max}`)
  const rows = converged(results).flatMap((count) =>
    ROLES.map((role) => {
      const {perHost} = count.roundTrips[role]
      return [
        `${count.nodes}`,
        role,
        span(perHost.connect),
        span(perHost.exec),
        span(perHost.upload),
        span(perHost.download),
      ]
    }),
  )
  return table(['nodes', 'no-op role', 'connections', 'exec channels', 'SFTP uploads', 'SFTP downloads'], rows)
}

function noopChecks(results: BenchResults): string {
  const rows = converged(results).flatMap((count) =>
    ROLES.map((role) => {
      const changes = count.noopChanges[role]
      const cell = (tool: string) => {
        const change = changes[tool]
        if (!change) return 'not run'
        const what = change.what.length > 0 ? `: ${change.what.join(', ')}` : ''
        return `${change.changed} changed, ${change.failed} failed${what}`
      }
      return [`${count.nodes}`, role, cell(TOOL.goldentooth), cell(TOOL.ansible)]
    }),
  )
  return table(['nodes', 'role', 'goldentooth (checked run)', 'Ansible (checked run)'], rows)
}

/** Node counts a run set out to measure that are not in the results: it was stopped before it finished them. */
function unfinished(results: BenchResults): string[] {
  const measured = new Set(results.counts.map((count) => count.nodes))
  return (results.sessions ?? []).flatMap((session) =>
    session.nodes
      .filter((nodes) => !measured.has(nodes))
      .map(
        (nodes) =>
          `- ${nodes} nodes: planned by \`${session.command}\` but not measured: the run was stopped before it finished them (no targets at ${nodes} nodes are assessed).`,
      ),
  )
}

function sessionsText(results: BenchResults, minutes: number): string {
  const sessions = results.sessions ?? []
  if (sessions.length <= 1) {
    return `Generated by \`${results.command}\` from ${results.startedAt} to ${results.finishedAt} (${minutes} minutes).`
  }
  const parts = sessions.map(
    (session) =>
      `${session.nodes.filter((n) => results.counts.some((count) => count.nodes === n)).join(', ')} nodes by \`${session.command}\` (${session.startedAt} to ${session.finishedAt}, load ` +
      `average at its start ${session.loadAtStart.join(', ')})`,
  )
  return `Measured in ${sessions.length} invocations on this machine, merged with \`--append\`: ${parts.join('; ')}. Start-up, tool versions and the machine description are from the last.`
}

function timedChanges(timings: readonly Timing[]): string {
  const parts = timings.map((timing) => `${timing.name} ${timing.changes?.join(', ') ?? '?'}`)
  return `Changes reported by each timed run: ${parts.join('; ')}.`
}

function healthSection(results: BenchResults): string {
  const rows = converged(results).map((count) => {
    const {summary, timing} = count.health
    const codes = [...new Set(timing.exitCodes)].join(', ')
    return [
      `${count.nodes}`,
      seconds(timing.median, 3),
      `${seconds(timing.min, 3)}–${seconds(timing.max, 3)}`,
      `${timing.runs.length}`,
      codes,
      `${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`,
    ]
  })
  const failing = converged(results).map((count) => {
    const entries = Object.entries(count.health.failures)
    if (entries.length === 0) return `- ${count.nodes} nodes: no failing check.`
    const listed = entries.map(([check, hosts]) => {
      const seen = count.health.observed?.[check] ?? []
      return `${check} (${hosts.length}${seen.length > 0 ? `: ${seen.map((text) => `“${text}”`).join(', ')}` : ''})`
    })
    return `- ${count.nodes} nodes, failing checks (hosts: what they observed): ${listed.join(', ')}.`
  })
  return `${table(['nodes', 'median', 'min–max', 'runs', 'exit codes', 'checks (last run)'], rows)}

The lab runs configure_cluster and setup_slurm only; the suites of services it cannot have (Consul, Vault, Nomad, NFS,
ZFS, the GPU, …) are skipped by the lab inventory's health_skip_suites. Any check that still fails is listed below and
makes the exit code 1: the bench records it instead of failing. Every suite's checks, on every host, cost one round
trip per host. A check that observed "timed out" hit its probe's own limit (${DEFAULT_PROBE_TIMEOUT_SECONDS} s unless the check
sets another): every node's health script starts at once, and on this machine all of them share its 2 cores.

${failing.join('\n')}`
}

/** What the frames that lead these profiles are, from the code (the numbers are the profile's). */
const FRAME_NOTES: Array<[RegExp, string]> = [
  [
    /^\(idle\)/,
    '**(idle)**: the main thread has nothing to do: it waits for the nodes (their probe or health scripts) and the network.',
  ],
  [
    /^(wrapSafe|compileSourceTextModule|compileForInternalLoader)/,
    '**wrapSafe, compileSourceTextModule, …**: compiling JavaScript as modules load: oclif and its dependencies for `--version` (oclif.manifest.json, written by `npm run build`, spares it the command modules), then the command and what it imports.',
  ],
  [
    /^ChildProcess\.spawn/,
    '**ChildProcess.spawn**: per host, goldentooth asks OpenSSH what it would do (`ssh -G`, src/transport/targets.ts) and starts the host’s ProxyCommand (socat on the lab): two processes per host, a cost that grows with the host count.',
  ],
  [
    /^writeBuffer/,
    '**writeBuffer**: SSH bytes written into the pipe of each lab node’s ProxyCommand (socat to the node’s UNIX socket); on this machine each write wakes socat and the node’s sshd on the same 2 cores, so the kernel’s work lands in the write (GNU parallel and pssh go through the same socat).',
  ],
  [/^\(garbage collector\)/, '**(garbage collector)**: V8 collecting garbage.'],
]

function frameNotes(results: BenchResults): string {
  const names = results.profiles.flatMap((profile) => profile.topFunctions.slice(0, 8).map((share) => share.name))
  const notes = FRAME_NOTES.filter(([pattern]) => names.some((name) => pattern.test(name))).map(
    ([, note]) => `- ${note}`,
  )
  return notes.length > 0 ? `Reading them:\n\n${notes.join('\n')}\n\n` : ''
}

function profilesSection(results: BenchResults, missed: boolean): string {
  if (!missed) return 'Every target was met, so no profile is discussed.'
  return (
    frameNotes(results) +
    results.profiles
      .map(
        (profile) => `### ${profile.workload}

\`node --cpu-prof bin/run.js ${profile.args}\`: ${profile.totalMs} ms of main-thread samples in ${profile.wallMs} ms wall
clock (the rest is waiting: on the network, the nodes' sshd, child processes).

${table(
  ['module', 'self time', 'share'],
  profile.topModules.map((share) => [share.name, ms(share.ms), `${share.percent}%`]),
)}

${table(
  ['function — module:line', 'self time', 'share'],
  profile.topFunctions.map((share) => [share.name.replaceAll('|', '\\|'), ms(share.ms), `${share.percent}%`]),
)}`,
      )
      .join('\n\n')
  )
}

export function renderReport(results: BenchResults): string {
  const {machine} = results
  const verdicts = targets(results)
  const missed = verdicts.some((item) => item.status.startsWith('**missed'))
  const minutes = Math.round((Date.parse(results.finishedAt) - Date.parse(results.startedAt)) / 60_000)
  const perCount = (title: string, make: (count: NodeCountResults) => string, counts = results.counts) =>
    counts.map((count) => `#### ${title}, ${count.nodes} nodes\n\n${make(count)}`).join('\n\n')
  const loads = (count: NodeCountResults) =>
    Object.entries(count.load)
      .map(([workload, load]) => `${workload} ${load}`)
      .join(', ')
  const slurm = converged(results).map((count) => {
    const timing = byName(count.noop.setup_slurm, TOOL.goldentooth)!
    return `| goldentooth \`setup_slurm\`, ${count.nodes} lab nodes | ${seconds(timing.median)} median (${seconds(timing.min)}–${seconds(timing.max)}) |`
  })
  const marginal = marginalCosts(results)
  return `# Benchmarks

${sessionsText(results, minutes)} Every number below is measured (raw results:
[bench/results/latest.json](../bench/results/latest.json)). Do not edit by hand: run \`npm run bench\` again
(\`npm run bench -- --nodes 5\` for a quick run at five nodes).

## Machine and tools

${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB memory, ${machine.kernel}, ${machine.debian}.
Load average at the start: ${machine.loadAtStart.join(', ')} (1, 5, 15 minutes). The lab nodes are systemd-nspawn
containers on this same machine, so every tool's work and the nodes' sshd share these ${machine.cores} cores; the load
average at the start of each workload is given with its tables.

${table(
  ['tool', 'version'],
  Object.entries(results.tools).map(([tool, version]) => [tool, version]),
)}

## How

\`npm run bench\` builds goldentooth, copies the CLI to a private directory (so a concurrent build cannot break it),
takes the lab lock, and for each node count N boots a fresh lab (\`goldentooth lab up --nodes N\`; its inventory
/run/goldentooth/lab/inventory plus the group_vars of inventory/lab that \`lab up --nodes\` leaves out; every node
reached through its UNIX socket by every tool) and runs:

1. **Ad-hoc**: \`uptime\` on every node with \`goldentooth command all -- uptime\`, GNU parallel
   (\`parallel -j0 --tag ssh -F /run/goldentooth/lab/ssh_config HOST uptime\`), pssh (\`parallel-ssh -i -p N -x '-F
   ssh_config'\`) and Ansible (\`ansible all -m shell -a uptime -f N\`, pipelining on, fact gathering off).
2. **Converge**: the first, changing run of \`configure_cluster\` and \`setup_slurm\` on fresh nodes, then their no-op
   re-runs, against the equivalent playbooks in bench/ansible/ (same resources, same file contents from \`goldentooth
   render\`, forks = N, pipelining on, no fact gathering). A checked run of each tool (the warm-up) and the changes
   every timed run reports show whether both really found nothing to change.
3. **Health**: \`goldentooth test all\` after setup_slurm.
4. **Start-up**: hyperfine (\`-N --warmup 3\`), the shipped 17-node inventory, offline.
5. **Peak RSS** of the goldentooth process (GNU time \`%M\`).
6. **Round trips**: a no-op run with \`GOLDENTOOTH_TRACE=FILE\` (the transport appends one JSON line per connection, exec
   channel and SFTP transfer) counts what each host really saw.

Timed runs alternate the tools (A B C D, D C B A, …) after a warm-up; times are wall clock from spawn to exit, start-up
included. ${results.repetitions} rounds are planned per workload, but this machine has ${machine.cores} cores shared by
every tool and every node, and Ansible's playbooks take minutes at 50 nodes, so the run is kept to about
${results.budgets.minutes} minutes: an ad-hoc race starts no new round after ${results.budgets.adhocMs / 60_000} minutes
once it has ${results.budgets.adhocMinimum}, a no-op race none after ${results.budgets.noopMs / 60_000} minutes once it
has ${results.budgets.noopMinimum}, a health run none after ${results.budgets.healthMs / 60_000} minutes once it has
${results.budgets.healthMinimum}, and what is cut beyond that is listed under "Cut for time".
Every table says how many runs it holds. The no-op races' warm-up is the checked run below (one run of each tool).
Ansible runs with its defaults otherwise, which include SSH connection sharing (ControlPersist 60 s), so its timed runs
reuse the warm-up's connections; goldentooth, parallel and pssh open new connections every run.

## Targets

${table(
  ['target', 'measured', 'status'],
  verdicts.map((item) => [item.target, item.measured, item.status]),
)}

![Wall time against node count](benchmarks.svg)

## 1. Ad-hoc: \`uptime\` on every node

${perCount('Ad-hoc', (count) => `${timingTable(count.adhoc)}\n\nLoad average at the start: ${count.load.adhoc}.`)}

## 2. Converge

### No-op re-runs

${ROLES.map((role) =>
  perCount(
    `No-op ${role}`,
    (count) => `${timingTable(count.noop[role])}\n\n${timedChanges(count.noop[role])}`,
    converged(results),
  ),
).join('\n\n')}

The nodes were converged by Ansible's first run (by goldentooth's where Ansible's first runs were skipped, see the
notes). The checked run (the warm-up) runs goldentooth, then Ansible: 0 changed for goldentooth means it finds exactly
the state the playbooks made, and 0 for Ansible that it finds nothing to redo after goldentooth. What each changed:

${noopChecks(results)}

Remote operations per host in one traced no-op run (min–max over the hosts):

${roundTripsTable(results)}

### setup_slurm against the original's figures

| | time for a setup_slurm run with nothing to change |
|---|---|
| original \`setup_slurm\` (Ansible, before its refactor) | more than 10 minutes, and not idempotent (it also built Lmod, Go, Singularity and Conda) |
| original \`setup_slurm_core\` (Ansible, after the refactor) | about 50 s (9 nodes) |
${slurm.join('\n')}

The original's figures are for the real cluster over its network (seed-spec.md §3.20, §6); these are for the lab on one
machine, so the comparison is of orders of magnitude, not of the last second. The HPC software the original setup_slurm
also installed (Lmod, OpenMPI, Go, Singularity, Conda) is outside setup_slurm here, as it was outside setup_slurm_core.

### First (changing) runs

${firstRunsSection(results)}

## 3. Health: \`goldentooth test all\`

${healthSection(results)}

## 4. Start-up (hyperfine)

${table(
  ['command', 'median', 'mean', 'min–max', 'runs'],
  results.startup.map((timing) => [
    `\`${timing.name}\``,
    ms(timing.median),
    ms(timing.mean),
    `${ms(timing.min)}–${ms(timing.max)}`,
    `${timing.runs}`,
  ]),
)}

## 5. Peak memory (RSS of the goldentooth process)

${table(
  ['nodes', 'command all -- uptime', 'no-op setup_slurm'],
  results.counts.map((count) => [
    `${count.nodes}`,
    `${Math.round(Math.max(...count.rss.adhoc) / 1024)} MiB (max of ${count.rss.adhoc.length})`,
    count.rss.noop.length > 0
      ? `${Math.round(Math.max(...count.rss.noop) / 1024)} MiB (max of ${count.rss.noop.length})`
      : 'not measured',
  ]),
)}

## Marginal cost of one more host

${
  marginal
    ? table(
        ['goldentooth workload', 'slope of the median, 17 → 50 nodes'],
        marginal.map((cost) => [cost.workload, `${cost.ms.toFixed(1)} ms per host`]),
      )
    : 'Needs the 17- and 50-node runs; not measured in this run.'
}

${
  marginal
    ? `The same slope for every ad-hoc tool: a lab node is a container on these same 2 cores, so each one adds its
sshd's key exchange, session set-up and command to the machine's work, whichever tool connects.

${table(['ad-hoc tool', 'slope of the median, 17 → 50 nodes'], adhocSlopes(results))}`
    : ''
}

## Where the time goes (CPU profiles)

${profilesSection(results, missed)}

## Cut for time

${
  [
    ...unfinished(results),
    ...results.counts.flatMap((count) => count.notes.map((note) => `- ${count.nodes} nodes: ${note}`)),
  ].join('\n') || 'Nothing beyond the budgets above.'
}

## Load while measuring

${results.counts.map((count) => `- ${count.nodes} nodes (${Math.round(count.elapsedMs / 60_000)} min, lab up ${seconds(count.labUpMs, 1)}): ${loads(count)}`).join('\n')}
`
}
