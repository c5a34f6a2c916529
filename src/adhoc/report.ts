import type {HostResult, RunReportJson} from '../fanout/results.js'
import type {Scope} from './scope.js'

import {EXIT} from '../core/exit-codes.js'
import {failedHosts, summarize, toJson} from '../fanout/results.js'
import {interruptedExitCode} from '../fanout/interrupt.js'
import {recordRetry} from '../fanout/retry-file.js'
import {rawText, type TextView} from '../output/host-text.js'
import {renderFolded, renderHostStatus, renderSummary} from '../output/run-report.js'

export interface Reported<T> {
  exitCode: number
  json: T
}

/** The exit code of a finished run: 128 + the signal if interrupted, 1 if any host did not succeed, else 0. */
export function exitCodeOf(scope: Scope, results: readonly HostResult[]): number {
  if (scope.session.signal.aborted) return interruptedExitCode(scope.session.signal)
  return results.every((result) => result.status === 'ok') ? EXIT.ok : EXIT.failed
}

/** Print one run's results (folded, or one status line per host after --verbose streaming) and its summary. */
export async function reportRun(
  scope: Scope,
  results: HostResult[],
  options: {json: boolean; streamed: boolean; view?: TextView},
): Promise<Reported<RunReportJson>> {
  const durationMs = Math.round(performance.now() - scope.startedAt)
  if (!options.json) {
    process.stdout.write(
      options.streamed ? results.map(renderHostStatus).join('') : renderFolded(results, options.view ?? rawText),
    )
    process.stderr.write(renderSummary(summarize(results, durationMs)))
  }
  const retry = await recordRetry(scope.stateDir, failedHosts(results), options.json)
  return {exitCode: exitCodeOf(scope, results), json: {...toJson(results, durationMs), ...retry}}
}
