import type {HostResult, HostStatus, RunReportJson, RunSummary} from '../fanout/results.js'
import type {SshTarget} from '../transport/types.js'
import type {Reported} from './report.js'
import type {ConnectionFlagValues, Scope} from './scope.js'

import {UsageError} from '../core/errors.js'
import {recordRetry, type RetryFailure} from '../fanout/retry-file.js'
import {failedHosts, summarize, toJson} from '../fanout/results.js'
import {runCommand} from '../fanout/run-command.js'
import {color} from '../output/color.js'
import {textViewFor} from '../output/host-text.js'
import {liveLines} from '../output/live-lines.js'
import {renderFolded, renderSummary} from '../output/run-report.js'
import {exitCodeOf, reportRun} from './report.js'
import {commandsFromLines, scriptCommand} from '../transport/remote-command.js'
import {withScope} from './scope.js'

export interface RunFlagValues extends ConnectionFlagValues {
  json: boolean
  'max-output': number
  raw: boolean
  timeout: number
  verbose: boolean
}

/** Run one command on every host the pattern selects, then report it (folded, or streamed with --verbose). */
export async function runEverywhere(
  pattern: string,
  commandFor: (target: SshTarget) => string,
  flags: RunFlagValues,
  stdin?: Buffer | string,
): Promise<Reported<RunReportJson>> {
  return withScope(pattern, flags, async (scope) => runInScope(scope, commandFor, flags, stdin))
}

/** heredoc and batch: one script, sent over stdin into a private temporary file and run as one program. */
export async function runScript(
  pattern: string,
  script: string,
  flags: RunFlagValues,
): Promise<Reported<RunReportJson>> {
  return runEverywhere(pattern, () => scriptCommand(script), flags, script)
}

export async function runInScope(
  scope: Scope,
  commandFor: (target: SshTarget) => string,
  flags: RunFlagValues,
  stdin?: Buffer | string,
): Promise<Reported<RunReportJson>> {
  const view = textViewFor(flags.raw, process.stdout)
  const live = flags.verbose && !flags.json ? liveLines((text) => process.stdout.write(text), view) : undefined
  const results = await runCommand(scope.session, commandFor, {
    maxOutputBytes: flags['max-output'],
    onOutput: live?.listener,
    stdin,
    timeoutMs: flags.timeout * 1000,
  })
  live?.flush()
  return reportRun(scope, results, {json: flags.json, streamed: live !== undefined, view})
}

const SEVERITY: Record<HostStatus, number> = {failed: 1, ok: 0, unreachable: 2}

export interface PipeReportJson extends RetryFailure {
  steps: Array<RunReportJson & {command: string}>
  summary: RunSummary
}

/** pipe: each line of stdin is one command, run on every host before the next line starts. */
export async function runLines(pattern: string, text: string, flags: RunFlagValues): Promise<Reported<PipeReportJson>> {
  const commands = commandsFromLines(text)
  if (commands.length === 0)
    throw new UsageError(
      'no commands on stdin',
      "give one command per line, e.g. echo 'df -h /' | goldentooth pipe all",
    )
  const view = textViewFor(flags.raw, process.stdout)
  return withScope(pattern, flags, async (scope) => {
    const steps: PipeReportJson['steps'] = []
    const worst = new Map<string, HostResult>()
    for (const command of commands) {
      if (scope.session.signal.aborted) break
      const stepStarted = performance.now()
      const results = await runCommand(scope.session, () => command, {
        maxOutputBytes: flags['max-output'],
        timeoutMs: flags.timeout * 1000,
      })
      const durationMs = Math.round(performance.now() - stepStarted)
      steps.push({command, ...toJson(results, durationMs)})
      for (const result of results) {
        const previous = worst.get(result.host)
        if (!previous || SEVERITY[result.status] > SEVERITY[previous.status]) worst.set(result.host, result)
      }
      if (!flags.json) {
        process.stdout.write(`${color.cyan('$')} ${color.bold(command)}\n${renderFolded(results, view)}`)
      }
    }
    const overall = [...worst.values()]
    const summary = summarize(overall, Math.round(performance.now() - scope.startedAt))
    if (!flags.json) process.stderr.write(renderSummary(summary))
    const retry = await recordRetry(scope.stateDir, failedHosts(overall), flags.json)
    return {exitCode: exitCodeOf(scope, overall), json: {steps, summary, ...retry}}
  })
}
