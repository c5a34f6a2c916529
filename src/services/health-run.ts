import type {StopSignal} from '../core/exit-codes.js'
import type {HostRun} from '../health/evaluate.js'
import type {CheckResult, HealthSummary, Suite} from '../health/model.js'
import type {SuiteName} from '../health/suite-names.js'
import type {HealthScriptOptions} from '../health/run.js'

import {UsageError} from '../core/errors.js'
import {withHostFacts} from '../engine/ansible-facts.js'
import {stopSignal} from '../fanout/interrupt.js'
import {recordRetry, type RetryRecord} from '../fanout/retry-file.js'
import {suiteNamed} from '../health/catalog.js'
import {evaluateCluster, evaluateHost, orderResults} from '../health/evaluate.js'
import {hostsToContact, planHealth} from '../health/plan.js'
import {renderJunit} from '../health/report/junit.js'
import {renderPrometheus} from '../health/report/prometheus.js'
import {failedHosts, summarize} from '../health/report/summary.js'
import {epochMs, runHealthScripts} from '../health/run.js'
import {writeFileAtomically} from '../state/atomic-write.js'
import {type ConnectionOptions, loadTargets, withTargets} from './scope.js'

export interface HealthOptions extends ConnectionOptions, HealthScriptOptions {
  /** Also write a JUnit XML report here. */
  junit?: string | undefined
  /** Also write a node_exporter textfile here. */
  prometheus?: string | undefined
}

/** Every check's result in order, the summary, where the failed hosts were recorded, what interrupted the run. */
export interface HealthRun {
  checks: CheckResult[]
  retry: RetryRecord | undefined
  stoppedBy: StopSignal | undefined
  summary: HealthSummary
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
  options: HealthOptions,
): Promise<HealthRun> {
  const started = performance.now()
  const suites = suiteNames.map(suiteNamed)
  const loaded = await loadTargets(pattern, options)
  const targets = {...loaded, inventory: withHostFacts(loaded.inventory)}
  const plan = planHealth(targets.inventory, targets.hosts, suites)
  const contact = hostsToContact(plan)
  if (contact.length === 0 && plan.cluster.length === 0 && plan.hosts.every((host) => host.skipped.length === 0)) {
    throw noChecks(suites)
  }
  const contactHosts = contact.map((host) => host.context.host)
  return withTargets({hosts: contactHosts, inventory: targets.inventory}, options, async (scope) => {
    const runs = contact.length > 0 ? await runHealthScripts(scope.session, plan, options) : new Map<string, HostRun>()
    const names = suites.map((suite) => suite.name)
    const results: CheckResult[] = [
      ...plan.hosts.flatMap((host) => evaluateHost(host, runs.get(host.context.host), names)),
      ...evaluateCluster(plan, runs, epochMs()),
    ]
    const checks = orderResults(results, targets.hosts)
    const summary = summarize(checks, Math.round(performance.now() - started))
    const finished = new Date()
    if (options.junit) writeFileAtomically(options.junit, renderJunit(checks, summary, finished))
    if (options.prometheus) writeFileAtomically(options.prometheus, renderPrometheus(checks, finished))
    return {
      checks,
      retry: await recordRetry(scope.stateDir, failedHosts(checks)),
      stoppedBy: stopSignal(scope.session.signal),
      summary,
    }
  })
}
