import type {Reported} from '../adhoc/report.js'
import type {ConnectionFlagValues, Scope} from '../adhoc/scope.js'
import type {Connection} from '../transport/types.js'
import type {CheckResult, HealthReport, Suite, SuiteName} from './model.js'
import type {HostPlan} from './plan.js'

import {loadTargets, withTargets} from '../adhoc/scope.js'
import {UsageError} from '../core/errors.js'
import {EXIT} from '../core/exit-codes.js'
import {withHostFacts} from '../engine/ansible-facts.js'
import {interruptedExitCode} from '../fanout/interrupt.js'
import {recordRetry} from '../fanout/retry-file.js'
import {writeFileAtomically} from '../state/atomic-write.js'
import {asRoot, scriptCommand} from '../transport/remote-command.js'
import {suiteNamed} from './catalog.js'
import {evaluateCluster, evaluateHost, type HostRun, orderResults} from './evaluate.js'
import {hostsToContact, type HealthPlan, planHealth} from './plan.js'
import {renderHealthSummary, renderTable} from './report/human.js'
import {renderJunit} from './report/junit.js'
import {renderPrometheus} from './report/prometheus.js'
import {failedHosts, summarize} from './report/summary.js'
import {healthScript, parseScriptOutput, scriptTimeoutSeconds} from './script.js'

export interface HealthFlags extends ConnectionFlagValues {
  json: boolean
  junit?: string | undefined
  prometheus?: string | undefined
  /** Keep retrying failing probes this long (Goss's --retry-timeout), on top of what each check declares. */
  'retry-timeout': number
  /** Seconds one host's script may run; 0 works it out from the probes' timeouts and retry windows. */
  timeout: number
  verbose: boolean
}

const epochMs = () => performance.timeOrigin + performance.now()

/** Run one host's health script: one exec, the node's clock timed against the round trip. */
async function runHost(
  connection: Connection,
  plan: HostPlan,
  flags: HealthFlags,
  signal: AbortSignal,
): Promise<HostRun> {
  const retry = flags['retry-timeout']
  const script = healthScript(plan.probes, retry)
  const timeoutSeconds = flags.timeout > 0 ? flags.timeout : scriptTimeoutSeconds(plan.probes, retry)
  let receivedEpochMs: number | undefined
  const sentEpochMs = epochMs()
  const result = await connection.exec(asRoot(connection.target, scriptCommand(script)), {
    onStdout: () => {
      receivedEpochMs ??= epochMs()
    },
    signal,
    stdin: script,
    timeoutMs: timeoutSeconds * 1000,
  })
  const output = parseScriptOutput(result.stdout)
  return {
    durationMs: result.durationMs,
    exitCode: result.exitCode,
    host: plan.context.host,
    output,
    receivedMs: epochMs(),
    status: 'ran',
    stderr: result.stderr,
    timedOut: result.timedOut,
    ...(output.nodeEpochMs !== undefined && receivedEpochMs !== undefined
      ? {clock: {nodeEpochMs: output.nodeEpochMs, receivedEpochMs, sentEpochMs}}
      : {}),
  }
}

async function runAll(scope: Scope, plan: HealthPlan, flags: HealthFlags): Promise<Map<string, HostRun>> {
  const plans = new Map(plan.hosts.map((host) => [host.context.host, host]))
  const outcomes = await scope.session.forEach((connection, host) =>
    runHost(connection, plans.get(host)!, flags, scope.session.signal),
  )
  const runs = new Map<string, HostRun>()
  for (const outcome of outcomes) {
    if (outcome.status === 'done') runs.set(outcome.host, outcome.value)
    else if (outcome.status !== 'interrupted') {
      runs.set(outcome.host, {
        durationMs: outcome.durationMs,
        error: outcome.error.message,
        host: outcome.host,
        status: 'unreachable',
        ...(outcome.status === 'unreachable' && outcome.error.hint ? {hint: outcome.error.hint} : {}),
      })
    }
  }
  return runs
}

function noChecks(suites: readonly Suite[]): UsageError {
  const groups = [...new Set(suites.flatMap((suite) => suite.hostChecks.flatMap((check) => check.groups)))]
  return new UsageError(
    `no selected host runs ${suites.map((suite) => suite.name).join(', ')}`,
    `these suites check hosts in: ${groups.join(', ')} (see: goldentooth test list)`,
  )
}

/** `goldentooth test SUITE… [PATTERN]`: plan, one script per host, evaluate, cluster checks, report. */
export async function runHealth(
  suiteNames: readonly SuiteName[],
  pattern: string,
  flags: HealthFlags,
): Promise<Reported<HealthReport>> {
  const started = performance.now()
  const suites = suiteNames.map(suiteNamed)
  const loaded = await loadTargets(pattern, flags)
  const targets = {...loaded, inventory: withHostFacts(loaded.inventory)}
  const plan = planHealth(targets.inventory, targets.hosts, suites)
  const contact = hostsToContact(plan)
  if (contact.length === 0 && plan.cluster.length === 0 && plan.hosts.every((host) => host.skipped.length === 0)) {
    throw noChecks(suites)
  }
  const contactHosts = contact.map((host) => host.context.host)
  return withTargets({hosts: contactHosts, inventory: targets.inventory}, flags, async (scope) => {
    const runs = contact.length > 0 ? await runAll(scope, plan, flags) : new Map<string, HostRun>()
    const names = suites.map((suite) => suite.name)
    const results: CheckResult[] = [
      ...plan.hosts.flatMap((host) => evaluateHost(host, runs.get(host.context.host), names)),
      ...evaluateCluster(plan, runs, epochMs()),
    ]
    const checks = orderResults(results, targets.hosts)
    const summary = summarize(checks, Math.round(performance.now() - started))
    const finished = new Date()
    if (flags.junit) writeFileAtomically(flags.junit, renderJunit(checks, summary, finished))
    if (flags.prometheus) writeFileAtomically(flags.prometheus, renderPrometheus(checks, finished))
    if (!flags.json) {
      process.stdout.write(renderTable(checks, flags.verbose))
      process.stderr.write(renderHealthSummary(summary))
    }
    const retry = await recordRetry(scope.stateDir, failedHosts(checks), flags.json)
    const {signal} = scope.session
    const exitCode = signal.aborted ? interruptedExitCode(signal) : summary.failed > 0 ? EXIT.failed : EXIT.ok
    return {exitCode, json: {checks, summary, ...retry}}
  })
}
