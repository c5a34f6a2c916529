import type {PlannedResource} from './compare.js'
import type {ApplyOutput} from './remote/apply-output.js'

import {markerName} from './remote/apply-script.js'
import {DAEMON_RELOAD_MARKER, type Handler} from './remote/apply-script.js'

export type ResourceStatus = 'changed' | 'failed' | 'ok' | 'skipped' | 'warning' | 'would-change'

export interface ResourceResult {
  diff?: string
  id: string
  /** What went wrong, or what the change did. */
  message?: string
  reasons?: string[]
  status: ResourceStatus
  type: string
}

export interface HostReport {
  changed: number
  durationMs: number
  failed: number
  host: string
  ok: boolean
  resources: ResourceResult[]
  /** Why the host could not be worked on at all (unreachable, probe failed). */
  error?: string
  unreachable?: boolean
  warnings: string[]
}

export interface ConvergeSummary {
  changed: number
  check: boolean
  durationMs: number
  failed: number
  hosts: number
  ok: number
  unreachable: number
}

export interface ConvergeReport {
  hosts: HostReport[]
  summary: ConvergeSummary
  /** Findings that are not about one host (plan-time warnings, facts that had to be assumed). */
  warnings: string[]
}

function typeOf(id: string): string {
  return id.slice(0, id.indexOf(':'))
}

function base(planned: PlannedResource, withDiff: boolean): Pick<ResourceResult, 'diff' | 'id' | 'reasons' | 'type'> {
  return {
    id: planned.id,
    type: typeOf(planned.id),
    ...(planned.reasons.length > 0 ? {reasons: planned.reasons} : {}),
    ...(withDiff && planned.diff ? {diff: planned.diff} : {}),
  }
}

/** --check: what would happen, from the plan alone. */
export function checkResults(
  planned: readonly PlannedResource[],
  handlers: readonly Handler[],
  withDiff: boolean,
): ResourceResult[] {
  const results: ResourceResult[] = planned.map((item) => ({
    ...base(item, withDiff),
    status: item.status === 'change' ? 'would-change' : item.status,
  }))
  for (const handler of handlers)
    results.push({id: `handler:${markerName(handler)}`, status: 'would-change', type: 'handler'})
  return results
}

/** After apply: each resource's status from the script's report (a change the script never reached is `skipped`). */
export function appliedResults(
  planned: readonly PlannedResource[],
  output: ApplyOutput,
  handlers: readonly Handler[],
  withDiff: boolean,
): ResourceResult[] {
  const results: ResourceResult[] = planned.map((item, index) => {
    if (item.status !== 'change') return {...base(item, false), status: item.status}
    const report = output.steps.get(index)
    return {
      ...base(item, withDiff),
      status: report?.status ?? 'skipped',
      ...(report?.message
        ? {message: report.message}
        : report
          ? {}
          : {message: 'not reached: the apply script stopped before it'}),
    }
  })
  const daemonReload = output.handlers.get(DAEMON_RELOAD_MARKER)
  if (daemonReload)
    results.push({
      id: 'handler:daemon-reload',
      status: daemonReload.status,
      type: 'handler',
      ...(daemonReload.message ? {message: daemonReload.message} : {}),
    })
  for (const handler of handlers) {
    const report = output.handlers.get(markerName(handler))
    results.push({
      id: `handler:${markerName(handler)}`,
      status: report?.status ?? 'skipped',
      type: 'handler',
      ...(report?.message
        ? {message: report.message}
        : report
          ? {}
          : {message: 'not run: a change on this host failed (it will run on the next run)'}),
    })
  }
  return results
}

export function hostReport(
  host: string,
  resources: ResourceResult[],
  warnings: string[],
  durationMs: number,
): HostReport {
  const changed = resources.filter((r) => r.status === 'changed' || r.status === 'would-change').length
  const failed = resources.filter((r) => r.status === 'failed').length
  return {changed, durationMs, failed, host, ok: failed === 0, resources, warnings}
}

export function failedHostReport(host: string, error: string, unreachable: boolean, durationMs: number): HostReport {
  return {changed: 0, durationMs, error, failed: 1, host, ok: false, resources: [], unreachable, warnings: []}
}

export function summarizeConverge(hosts: readonly HostReport[], durationMs: number, check: boolean): ConvergeSummary {
  return {
    changed: hosts.filter((h) => h.ok && h.changed > 0).length,
    check,
    durationMs,
    failed: hosts.filter((h) => !h.ok && !h.unreachable).length,
    hosts: hosts.length,
    ok: hosts.filter((h) => h.ok && h.changed === 0).length,
    unreachable: hosts.filter((h) => h.unreachable).length,
  }
}

/** Reports of roles run one after another on overlapping hosts, as one report per host. */
export function mergeReports(reports: readonly ConvergeReport[], durationMs: number, check: boolean): ConvergeReport {
  const hosts = new Map<string, HostReport>()
  for (const report of reports) {
    for (const host of report.hosts) {
      const earlier = hosts.get(host.host)
      if (!earlier) {
        hosts.set(host.host, {...host, resources: [...host.resources], warnings: [...host.warnings]})
        continue
      }
      earlier.changed += host.changed
      earlier.failed += host.failed
      earlier.ok &&= host.ok
      earlier.durationMs += host.durationMs
      earlier.resources.push(...host.resources)
      earlier.warnings.push(...host.warnings)
      if (host.error) {
        earlier.error = host.error
        earlier.unreachable = host.unreachable ?? false
      }
    }
  }
  const merged = [...hosts.values()]
  return {
    hosts: merged,
    summary: summarizeConverge(merged, durationMs, check),
    warnings: reports.flatMap((report) => report.warnings),
  }
}
