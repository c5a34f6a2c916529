import type {PipeReport, PipeStep} from '../../services/pipe.js'
import type {Renderer} from '../renderer.js'

import {toJson} from '../../fanout/results.js'
import {color} from '../../output/color.js'
import {textViewFor} from '../../output/host-text.js'
import {renderFolded, renderSummary} from '../../output/run-report.js'
import {retryJson, retryText} from './retry.js'
import {runExitCode} from './run.js'

/** Each step on stdout as it finishes: `$ COMMAND`, then its results folded. */
export function pipeSteps(raw: boolean): (step: PipeStep) => void {
  const view = textViewFor(raw, process.stdout)
  return (step) =>
    process.stdout.write(`${color.cyan('$')} ${color.bold(step.command)}\n${renderFolded(step.results, view)}`)
}

/** The steps were shown as they finished: the summary of every host's worst result and the retry hint, on stderr. */
export const pipeRenderer: Renderer<PipeReport> = {
  exitCode: runExitCode,
  json: (report) => ({
    steps: report.steps.map((step) => ({command: step.command, ...toJson(step.results, step.durationMs)})),
    summary: report.summary,
    ...retryJson(report.retry),
  }),
  text: (report) => ({stderr: renderSummary(report.summary) + retryText(report.retry)}),
}
