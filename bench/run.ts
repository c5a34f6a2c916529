/**
 * `npm run bench`: goldentooth against GNU parallel + ssh, pssh and Ansible on the lab at 5, 17 and 50 nodes (issue 8).
 * The npm script builds, then runs this under `flock /tmp/gt-lab.lock` (the lab is shared). Writes
 * bench/results/latest.json, docs/benchmarks.md and docs/benchmarks.svg, and leaves the default five-node lab up.
 *
 *   npm run bench                          # the full run: 5, 17 and 50 nodes (about 40 minutes: --minutes)
 *   npm run bench -- --nodes 5             # one node count, for a quick look
 *   npm run bench -- --nodes 5 --repetitions 2 --first-runs 1
 *   npx tsx bench/run.ts --report-only      # docs/benchmarks.* again from bench/results/latest.json, no measuring
 */
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {parseArgs} from 'node:util'

import type {BenchResults, FirstRuns, NodeCountResults} from './results.js'

import {chartSvg} from './chart.js'
import {privateCli} from './cli.js'
import {describeMachine, loadNow, toolVersions} from './environment.js'
import {assertLabLockHeld, benchInventory, defaultLab, freshLab, inventoryHosts} from './lab.js'
import {timeOnce, type Timing} from './measure.js'
import {cpuProfile} from './profile.js'
import {renderReport} from './report.js'
import {startup} from './startup.js'
import {
  adhoc,
  convergeContenders,
  convergeOnce,
  goldentoothEnv,
  health,
  noop,
  peakRss,
  renderForAnsible,
  ROLES,
  ROOT,
  roundTrips,
  type Setting,
  TOOL,
} from './workloads.js'

const {values} = parseArgs({
  options: {
    nodes: {default: '5,17,50', type: 'string'},
    repetitions: {default: '5', type: 'string'},
    'first-runs': {type: 'string'},
    minutes: {default: '40', type: 'string'},
    'report-only': {default: false, type: 'boolean'},
    'ansible-converge': {type: 'string'},
    append: {default: false, type: 'boolean'},
  },
})
const RESULTS = path.join(ROOT, 'bench/results/latest.json')

async function writeDocs(results: BenchResults): Promise<void> {
  await writeFile(path.join(ROOT, 'docs/benchmarks.svg'), await chartSvg(results))
  await writeFile(path.join(ROOT, 'docs/benchmarks.md'), renderReport(results))
}

if (values['report-only']) {
  await writeDocs(JSON.parse(await readFile(RESULTS, 'utf8')) as BenchResults)
  process.exit(0)
}
const nodeCounts = values.nodes.split(',').map((n) => Number.parseInt(n, 10))
if (nodeCounts.some((n) => !Number.isInteger(n) || n < 5 || n > 50)) throw new Error('--nodes: counts from 5 to 50')
const repetitions = Number.parseInt(values.repetitions, 10)
/** Node counts at which Ansible's converge workloads (first and no-op runs) run: minutes each at 17 and 50 nodes. */
const ansibleConverge = (values['ansible-converge'] ?? values.nodes).split(',').map((n) => Number.parseInt(n, 10))
/** --append: keep the node counts of bench/results/latest.json that this run does not measure. */
const earlier = values.append ? (JSON.parse(await readFile(RESULTS, 'utf8')) as BenchResults) : undefined
/** Changing first runs: each needs a fresh lab and takes minutes at 50 nodes; this many per tool if the budget allows. */
const FIRST_RUNS: Record<number, number> = {5: 3}
/**
 * Time budgets: a race stops starting rounds after its budget once it has its minimum (Ansible's playbooks take minutes
 * at 50 nodes on two cores), and no optional work starts after --minutes (default 45) from the start.
 */
const BUDGETS = {
  adhocMs: 120_000,
  adhocMinimum: 3,
  firstRunMs: 180_000,
  healthMinimum: 1,
  healthMs: 90_000,
  minutes: Number.parseInt(values.minutes, 10),
  noopMs: 90_000,
  noopMinimum: 1,
}
/** What one node count still needs after the first runs (no-op races, health, traces) at 50 nodes, roughly. */
const RESERVE_MS = 12 * 60_000
/** What one node count still needs after the no-op races (traces, health, memory, profiles), roughly. */
const AFTER_NOOP_MS = 4 * 60_000
const RSS_RUNS = 3

const byName = (timings: readonly Timing[], name: string) => timings.find((timing) => timing.name === name)
const log = (message: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`)

await assertLabLockHeld()
const started = new Date()
const deadline = started.getTime() + BUDGETS.minutes * 60_000
/** A budget, cut to what is left before the deadline. */
const within = (ms: number) => Math.max(0, Math.min(ms, deadline - Date.now()))
const machine = await describeMachine()
const cli = await privateCli(ROOT)
log(`goldentooth copied to ${cli.dir}`)
const stateDir = path.join(cli.work, 'state')
const counts: NodeCountResults[] = (earlier?.counts ?? []).filter((count) => !nodeCounts.includes(count.nodes))
const profiles: BenchResults['profiles'] = []
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`
const sessions: BenchResults['sessions'] = earlier
  ? (
      earlier.sessions ?? [
        {
          command: earlier.command,
          finishedAt: earlier.finishedAt,
          loadAtStart: earlier.machine.loadAtStart,
          nodes: earlier.counts.map((count) => count.nodes),
          startedAt: earlier.startedAt,
        },
      ]
    ).map((session) => ({...session, nodes: session.nodes.filter((n) => !nodeCounts.includes(n))}))
  : []
try {
  const tools = await toolVersions(cli)
  log('start-up (hyperfine)')
  const startupTimings = await startup(cli, 20)
  /** Written after every node count, so a run cut short still leaves what it measured. */
  const writeOutputs = async () => {
    const finishedAt = new Date().toISOString()
    const results: BenchResults = {
      command,
      counts: [...counts].sort((a, b) => a.nodes - b.nodes),
      finishedAt,
      machine,
      budgets: BUDGETS,
      profiles: [
        ...profiles,
        ...(earlier?.profiles ?? []).filter((p) => !profiles.some((q) => q.workload === p.workload)),
      ],
      sessions: [
        ...sessions,
        {command, finishedAt, loadAtStart: machine.loadAtStart, nodes: nodeCounts, startedAt: started.toISOString()},
      ],
      repetitions,
      startedAt: started.toISOString(),
      startup: startupTimings,
      tools,
    }
    await mkdir(path.dirname(RESULTS), {recursive: true})
    await writeFile(RESULTS, `${JSON.stringify(results, null, 2)}\n`)
    await writeDocs(results)
    log('wrote bench/results/latest.json, docs/benchmarks.md, docs/benchmarks.svg')
  }
  profiles.push({
    ...(await cpuProfile(cli, '--version', goldentoothEnv({stateDir}))),
    workload: 'start-up (--version)',
  })

  for (const nodes of nodeCounts) {
    const began = performance.now()
    const load: Record<string, number> = {}
    log(`${nodes} nodes: fresh lab`)
    const labUp = await freshLab(cli, nodes)
    const inventory = await benchInventory(cli)
    const setting: Setting = {
      cli,
      hosts: await inventoryHosts(inventory),
      inventory,
      rendered: path.join(cli.work, 'rendered'),
      stateDir,
    }
    if (setting.hosts.length !== nodes) throw new Error(`lab has ${setting.hosts.length} hosts, not ${nodes}`)

    log(`${nodes} nodes: ad-hoc`)
    load.adhoc = loadNow()
    const adhocTimings = await adhoc(setting, {
      budgetMs: within(BUDGETS.adhocMs),
      minRepetitions: BUDGETS.adhocMinimum,
      repetitions,
    })

    // First runs on clean nodes: goldentooth's on the lab the ad-hoc workload used, Ansible's on a fresh one.
    log(`${nodes} nodes: first (changing) runs, goldentooth`)
    const first: FirstRuns = {configure_cluster: {}, setup_slurm: {}}
    const firstRun = async (tool: 'Ansible' | 'goldentooth') => {
      for (const role of ROLES) {
        const contender = convergeContenders(setting, role, [tool])[0]!
        ;((first[role][tool] ??= []) as number[]).push((await timeOnce(contender)).ms)
      }
    }
    load.first = loadNow()
    await firstRun('goldentooth')
    log(`${nodes} nodes: rendering for Ansible`)
    await renderForAnsible(setting)
    const notes: string[] = []
    // Ansible's first runs take minutes per role at 17 and 50 nodes: skipped when, scaled from the last node count,
    // they would leave less than RESERVE_MS for this node count's remaining workloads before the deadline.
    const withAnsible = ansibleConverge.includes(nodes)
    const ansibleFirst = (count: NodeCountResults) =>
      ROLES.reduce((sum, role) => sum + (count.first[role].Ansible?.[0] ?? 0), 0)
    const previous = counts.filter((count) => ansibleFirst(count) > 0).at(-1)
    const estimate = previous ? (ansibleFirst(previous) * nodes) / previous.nodes : 0
    const left = deadline - Date.now()
    if (!withAnsible) {
      notes.push(
        `Ansible's converge workloads (first and no-op runs) were not run at ${nodes} nodes (--ansible-converge ` +
          `${ansibleConverge.join(',')}): a playbook run takes minutes at this node count on this machine, more than ` +
          `the time budget left for them.`,
      )
    } else if (estimate > left - RESERVE_MS) {
      notes.push(
        `Ansible's first runs were skipped: ${Math.round(left / 60_000)} minutes were left before the ${BUDGETS.minutes}-minute ` +
          `budget, and they would take about ${Math.round(estimate / 60_000)} (scaled from ${previous!.nodes} nodes).`,
      )
      log(`${nodes} nodes: ${notes.at(-1)}`)
    } else {
      log(`${nodes} nodes: first (changing) runs, Ansible`)
      await freshLab(cli, nodes)
      await firstRun('Ansible')
    }

    // No-op re-runs on the converged nodes; the warm-up (not at the last node count when time is short) doubles as
    // the check that both tools find nothing to change, and every timed run's changes are recorded too.
    const noopTimings: NodeCountResults['noop'] = {configure_cluster: [], setup_slurm: []}
    const noopChanges: NodeCountResults['noopChanges'] = {configure_cluster: {}, setup_slurm: {}}
    for (const role of ROLES) {
      // A warm-up costs one more run of each tool: only when, scaled from the last node count, it fits.
      const last = counts.filter((count) => byName(count.noop[role], TOOL.ansible)).at(-1)
      const perRun = last ? (byName(last.noop[role], TOOL.ansible)!.median * nodes) / last.nodes : 0
      const warm = !withAnsible || deadline - Date.now() > 2 * perRun + AFTER_NOOP_MS
      const tools = withAnsible ? [TOOL.goldentooth, TOOL.ansible] : [TOOL.goldentooth]
      if (warm) {
        noopChanges[role] = await convergeOnce(setting, role, tools)
        log(`${nodes} nodes: no-op ${role} checked ${JSON.stringify(noopChanges[role])}`)
      } else notes.push(`no-op ${role}: no warm-up (time budget); the timed runs' changes are reported instead.`)
      load[`noop ${role}`] = loadNow()
      log(`${nodes} nodes: no-op ${role}`)
      noopTimings[role] = await noop(setting, role, tools, {
        budgetMs: within(BUDGETS.noopMs),
        minRepetitions: BUDGETS.noopMinimum,
        repetitions,
        warmups: 0,
      })
    }

    log(`${nodes} nodes: round trips, health, peak RSS`)
    const trips = {
      configure_cluster: await roundTrips(setting, 'configure_cluster'),
      setup_slurm: await roundTrips(setting, 'setup_slurm'),
    }
    load.health = loadNow()
    const healthResult = await health(setting, {
      budgetMs: within(BUDGETS.healthMs),
      minRepetitions: BUDGETS.healthMinimum,
      repetitions,
    })
    const rss = {
      adhoc: await peakRss(setting, 'command all -- uptime', RSS_RUNS),
      noop: await peakRss(setting, 'setup_slurm', RSS_RUNS),
    }
    if (nodes === Math.max(...nodeCounts)) {
      const env = goldentoothEnv(setting)
      profiles.push({
        ...(await cpuProfile(cli, `-i ${setting.inventory} command all -- uptime`, env)),
        workload: `ad-hoc, ${nodes} nodes`,
      })
      profiles.push({
        ...(await cpuProfile(cli, `-i ${setting.inventory} setup_slurm`, env)),
        workload: `no-op setup_slurm, ${nodes} nodes`,
      })
    }

    // Further rounds of first runs, alternating, each on a fresh lab, while the budget lasts.
    const target = values['first-runs'] ? Number.parseInt(values['first-runs'], 10) : (FIRST_RUNS[nodes] ?? 1)
    const firstBudget = within(BUDGETS.firstRunMs)
    const firstStarted = performance.now()
    for (let round = 1; round < target && performance.now() - firstStarted < firstBudget; round++) {
      for (const tool of ['goldentooth', 'Ansible'] as const) {
        log(`${nodes} nodes: first runs, ${tool} (round ${round + 1} of ${target})`)
        await freshLab(cli, nodes)
        await firstRun(tool)
      }
    }

    counts.push({
      adhoc: adhocTimings,
      elapsedMs: performance.now() - began,
      first,
      firstRunsTarget: target,
      health: healthResult,
      labUpMs: labUp.ms,
      load,
      nodes,
      noop: noopTimings,
      noopChanges,
      notes,
      roundTrips: trips,
      rss,
    })
    log(`${nodes} nodes done in ${Math.round((performance.now() - began) / 1000)} s`)
    await writeOutputs()
  }
} finally {
  log('leaving the default five-node lab up')
  await defaultLab(cli)
  await cli.remove()
}
