import type {RetryFailure} from '../../fanout/retry-file.js'
import type {HealthReport} from '../../health/model.js'
import type {HealthRun} from '../../services/health-run.js'
import type {Renderer} from '../renderer.js'

import {EXIT, exitCodeOnSignal} from '../../core/exit-codes.js'
import {renderHealthSummary, renderTable} from '../../health/report/human.js'
import {retryJson, retryText} from './retry.js'

/** The table of checks (every check with `verbose`, else failures in full) on stdout; summary and retry hint on stderr. */
export function healthRunRenderer(options: {verbose: boolean}): Renderer<HealthRun> {
  return {
    exitCode: ({stoppedBy, summary}) =>
      stoppedBy ? exitCodeOnSignal(stoppedBy) : summary.failed > 0 ? EXIT.failed : EXIT.ok,
    json: ({checks, retry, summary}): HealthReport & RetryFailure => ({checks, summary, ...retryJson(retry)}),
    text: ({checks, retry, summary}) => ({
      stderr: renderHealthSummary(summary) + retryText(retry),
      stdout: renderTable(checks, options.verbose),
    }),
  }
}
