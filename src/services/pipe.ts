import type {StopSignal} from '../core/exit-codes.js'
import type {HostResult, HostStatus, RunSummary} from '../fanout/results.js'
import type {RunOptions} from './run.js'

import {UsageError} from '../core/errors.js'
import {stopSignal} from '../fanout/interrupt.js'
import {failedHosts, summarize} from '../fanout/results.js'
import {recordRetry, type RetryRecord} from '../fanout/retry-file.js'
import {runCommand} from '../fanout/run-command.js'
import {commandsFromLines} from '../transport/remote-command.js'
import {withScope} from './scope.js'

export interface PipeStep {
  command: string
  durationMs: number
  results: HostResult[]
}

export interface PipeOptions extends Omit<RunOptions, 'live'> {
  /** Each command's results, as soon as every host has run it. */
  onStep?: ((step: PipeStep) => void) | undefined
}

/** Every step, and the summary of each host's worst result over all of them. */
export interface PipeReport {
  retry: RetryRecord | undefined
  steps: PipeStep[]
  stoppedBy: StopSignal | undefined
  summary: RunSummary
}

const SEVERITY: Record<HostStatus, number> = {failed: 1, ok: 0, unreachable: 2}

/** pipe: each line of stdin is one command, run on every host before the next line starts. */
export async function runPipe(pattern: string, text: string, options: PipeOptions): Promise<PipeReport> {
  const commands = commandsFromLines(text)
  if (commands.length === 0)
    throw new UsageError(
      'no commands on stdin',
      "give one command per line, e.g. echo 'df -h /' | goldentooth pipe all",
    )
  return withScope(pattern, options, async (scope) => {
    const steps: PipeStep[] = []
    const worst = new Map<string, HostResult>()
    for (const command of commands) {
      if (scope.session.signal.aborted) break
      const stepStarted = performance.now()
      const results = await runCommand(scope.session, () => command, {
        maxOutputBytes: options.maxOutput,
        timeoutMs: options.timeout * 1000,
      })
      const step = {command, durationMs: Math.round(performance.now() - stepStarted), results}
      steps.push(step)
      for (const result of results) {
        const previous = worst.get(result.host)
        if (!previous || SEVERITY[result.status] > SEVERITY[previous.status]) worst.set(result.host, result)
      }
      options.onStep?.(step)
    }
    const overall = [...worst.values()]
    const summary = summarize(overall, Math.round(performance.now() - scope.startedAt))
    const retry = await recordRetry(scope.stateDir, failedHosts(overall))
    return {retry, steps, stoppedBy: stopSignal(scope.session.signal), summary}
  })
}
