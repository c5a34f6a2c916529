import type {Session} from '../fanout/session.js'
import type {HostIo} from './host-io.js'
import type {HostReporter} from './host-reporter.js'
import type {HostWork} from './plan-step.js'
import type {HostReport} from './results.js'

import {handlersFor} from './handlers.js'
import {applyHost} from './host-io.js'
import {appliedResults, checkResults} from './results.js'
import {verifyChanges} from './verify.js'

export interface ApplyOptions extends HostIo {
  check: boolean
  diff: boolean
  /** The second interrupt: stops a running apply script. */
  force: AbortSignal
  mask: (text: string) => string
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * One host's changes: reported from the plan under --check or when nothing is to change; otherwise round trip 2 (the
 * apply script), then the verifications of what changed.
 */
export async function applyHostStep(
  session: Session,
  host: string,
  work: HostWork,
  options: ApplyOptions,
  reporter: HostReporter,
): Promise<HostReport> {
  const {observed, planned, warnings} = work
  const handlers = handlersFor(planned, observed)
  const changes = planned.filter((item) => item.action !== undefined)
  if (options.check || (changes.length === 0 && handlers.length === 0 && !observed.daemonReloadPending))
    return reporter.finished(host, checkResults(planned, options.check ? handlers : [], options.diff), warnings)
  reporter.update(host, `applying ${changes.length} change(s)`)
  const artifacts = new Map(
    changes.flatMap((item) =>
      item.action?.op === 'artifact' ? [[item.action.localPath, item.action.sha256] as const] : [],
    ),
  )
  try {
    const steps = planned.flatMap((item, index) =>
      item.action ? [{action: item.action, index, unitChanged: item.unitChanged}] : [],
    )
    const output = await applyHost(
      await session.connection(host),
      {daemonReloadPending: observed.daemonReloadPending, handlers, steps},
      artifacts,
      {paths: options.paths, signal: options.force, timeoutMs: options.timeoutMs},
    )
    if (output.lockTimedOut) return reporter.failed(host, 'another goldentooth run held the host lock for 5 minutes')
    const resources = await verifyChanges({
      current: await session.connection(host),
      observed,
      open: () => session.freshConnection(host),
      paths: options.paths,
      planned,
      results: appliedResults(planned, output, handlers, options.diff),
      timeoutMs: Math.min(options.timeoutMs || 60_000, 60_000),
    })
    if (output.exitCode === null || (output.exitCode !== 0 && !resources.some((r) => r.status === 'failed'))) {
      const detail = options.mask(output.stderr.trim().split('\n').slice(-3).join(' / '))
      const why = output.timedOut
        ? 'the apply script timed out'
        : options.force.aborted
          ? 'the apply script was stopped by a second interrupt'
          : `the apply script failed: ${detail}`
      return reporter.failed(host, why)
    }
    return reporter.finished(
      host,
      resources.map((r) => (r.message ? {...r, message: options.mask(r.message)} : r)),
      warnings,
    )
  } catch (error) {
    return reporter.failed(host, message(error))
  }
}
