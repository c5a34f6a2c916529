import type {CheckResult, ClockSample, Collected, ProbeResult, Verdict} from './model.js'
import type {SuiteName} from './suite-names.js'
import type {HealthPlan, HostPlan} from './plan.js'
import type {ScriptOutput} from './script.js'

import {CLUSTER} from './model.js'
import {SUITE_NAMES} from './suite-names.js'
import {clusterKey} from './plan.js'
import {REACHABLE} from './suites/ssh.js'
import {fail, firstLine, pass, skip} from './verdict.js'

/** What happened when one host ran its health script. */
export type HostRun =
  | {host: string; status: 'unreachable'; error: string; hint?: string; durationMs: number}
  | {
      host: string
      status: 'ran'
      output: ScriptOutput
      clock?: ClockSample
      /** The script's own exit code and error output, for a script that did not finish. */
      exitCode: number | null
      stderr: string
      timedOut: boolean
      durationMs: number
      /** The operator's clock (epoch ms) when the results arrived. */
      receivedMs: number
    }

function result(
  host: string,
  scope: CheckResult['scope'],
  suite: SuiteName,
  verdict: Verdict,
  durationMs: number,
  attempts: number,
): CheckResult {
  return {...verdict, attempts, durationMs, host, scope, suite}
}

/** The script did not run to the end: say why once, and let the checks it left without results fail on their own. */
function scriptProblem(run: Extract<HostRun, {status: 'ran'}>): Verdict | undefined {
  if (run.output.complete) return undefined
  const why = run.timedOut
    ? 'the health script timed out'
    : `the health script stopped (exit ${run.exitCode ?? 'by signal'}): ${firstLine({attempts: 1, durationMs: 0, exitCode: 1, stderr: run.stderr, stdout: ''}) || 'no output'}`
  return fail(
    'health_script',
    'the health script runs to its end',
    why,
    'goldentooth command_root HOST -- df -h /tmp; is sh, base64 and timeout there?',
  )
}

/** Every result about one host: its checks, the suites skipped there, and whether it could be reached at all. */
export function evaluateHost(plan: HostPlan, run: HostRun | undefined, suites: readonly SuiteName[]): CheckResult[] {
  const {host} = plan.context
  const results: CheckResult[] = plan.skipped.map(({suite, where}) =>
    result(
      host,
      'host',
      suite,
      skip('suite', `${suite} checked here`, `skipped here by health_skip_suites (${where})`),
      0,
      0,
    ),
  )
  if (!run) return results
  if (run.status === 'unreachable') {
    results.push(
      result(host, 'host', 'ssh', fail(REACHABLE.name, 'an SSH connection', run.error, run.hint), run.durationMs, 1),
    )
    return results
  }
  if (suites.includes('ssh')) {
    results.push(
      result(
        host,
        'host',
        'ssh',
        pass(REACHABLE.name, 'an SSH connection', `connected; the health script took ${run.durationMs} ms`),
        run.durationMs,
        1,
      ),
    )
  }
  const problem = scriptProblem(run)
  if (problem) results.push(result(host, 'host', 'ssh', problem, run.durationMs, 1))
  for (const {check, probe, suite} of plan.checks) {
    const probeResult = probe === undefined ? undefined : run.output.results.get(probe)
    const verdicts = check.evaluate({
      context: plan.context,
      nowMs: run.receivedMs,
      ...(probeResult ? {result: probeResult} : {}),
      ...(run.clock ? {clock: run.clock} : {}),
    })
    const durationMs =
      probeResult?.durationMs ?? (run.clock ? Math.round(run.clock.receivedEpochMs - run.clock.sentEpochMs) : 0)
    for (const verdict of verdicts)
      results.push(result(host, 'host', suite, verdict, durationMs, probeResult?.attempts ?? 1))
  }
  return results
}

/** Cluster checks, from what each collector host reported. */
export function evaluateCluster(plan: HealthPlan, runs: ReadonlyMap<string, HostRun>, nowMs: number): CheckResult[] {
  const plans = new Map(plan.hosts.map((host) => [host.context.host, host]))
  const inventory = plan.hosts[0]?.context.inventory
  if (!inventory) return []
  return plan.cluster.flatMap(({check, collectors, notSelected, suite}) => {
    if (notSelected) return [result(CLUSTER, 'cluster', suite, skip(check.name, check.summary, notSelected), 0, 0)]
    const key = clusterKey(suite, check)
    const collected: Collected[] = collectors.map((host) => {
      const hostPlan = plans.get(host)!
      const run = runs.get(host)
      const index = hostPlan.collectors.get(key)
      const probeResult: ProbeResult | undefined =
        run?.status === 'ran' && index !== undefined ? run.output.results.get(index) : undefined
      return {context: hostPlan.context, host, ...(probeResult ? {result: probeResult} : {})}
    })
    const durationMs = Math.max(0, ...collected.map((entry) => entry.result?.durationMs ?? 0))
    const attempts = Math.max(1, ...collected.map((entry) => entry.result?.attempts ?? 1))
    return check
      .evaluate(collected, {inventory, nowMs})
      .map((verdict) => result(CLUSTER, 'cluster', suite, verdict, durationMs, attempts))
  })
}

/** Suite order, then hosts before the cluster, host order as selected; a check's verdicts stay in their own order. */
export function orderResults(results: readonly CheckResult[], hosts: readonly string[]): CheckResult[] {
  const suiteRank = (suite: SuiteName) => SUITE_NAMES.indexOf(suite)
  const hostRank = (host: string, scope: CheckResult['scope']) =>
    scope === 'cluster' ? hosts.length : hosts.indexOf(host)
  return results
    .map((entry, index) => ({entry, index}))
    .sort(
      (a, b) =>
        suiteRank(a.entry.suite) - suiteRank(b.entry.suite) ||
        hostRank(a.entry.host, a.entry.scope) - hostRank(b.entry.host, b.entry.scope) ||
        a.index - b.index,
    )
    .map(({entry}) => entry)
}
