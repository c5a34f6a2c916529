import type {RunReport} from '../../services/run.js'
import type {Renderer} from '../renderer.js'

import {EXIT, exitCodeOnSignal} from '../../core/exit-codes.js'
import {type RunReportJson, toJson} from '../../fanout/results.js'
import {textViewFor} from '../../output/host-text.js'
import {type LiveLines, liveLines} from '../../output/live-lines.js'
import {renderFolded, renderHostStatus, renderSummary} from '../../output/run-report.js'
import {retryJson, retryText} from './retry.js'

/** 128 + the signal if interrupted, 1 if any host did not succeed, else 0. */
export function runExitCode({stoppedBy, summary}: Pick<RunReport, 'stoppedBy' | 'summary'>): number {
  if (stoppedBy) return exitCodeOnSignal(stoppedBy)
  return summary.failed + summary.unreachable === 0 ? EXIT.ok : EXIT.failed
}

/**
 * Results folded (or, after -v streamed them, one status line per host) on stdout; the summary and the retry hint
 * on stderr. On a terminal, control characters from hosts are made visible unless `raw`.
 */
export function runRenderer(options: {raw: boolean; streamed: boolean}): Renderer<RunReport> {
  const view = textViewFor(options.raw, process.stdout)
  return {
    exitCode: runExitCode,
    json: (report): RunReportJson => ({
      ...toJson(report.results, report.summary.durationMs),
      ...retryJson(report.retry),
    }),
    text: (report) => ({
      stderr: renderSummary(report.summary) + retryText(report.retry),
      stdout: options.streamed ? report.results.map(renderHostStatus).join('') : renderFolded(report.results, view),
    }),
  }
}

/** -v: every line of host output on stdout as it arrives, prefixed by its host. */
export function liveOutput(raw: boolean): LiveLines {
  return liveLines((text) => process.stdout.write(text), textViewFor(raw, process.stdout))
}
