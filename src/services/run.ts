import type {StopSignal} from '../core/exit-codes.js'
import type {HostResult, RunSummary} from '../fanout/results.js'
import type {LiveLines} from '../output/live-lines.js'
import type {SshTarget} from '../transport/types.js'

import {stopSignal} from '../fanout/interrupt.js'
import {failedHosts, summarize} from '../fanout/results.js'
import {recordRetry, type RetryRecord} from '../fanout/retry-file.js'
import {runCommand} from '../fanout/run-command.js'
import {asRoot, commandLine, scriptCommand} from '../transport/remote-command.js'
import {type ConnectionOptions, type Scope, withScope} from './scope.js'

export interface RunOptions extends ConnectionOptions {
  /** -v: where host output goes, line by line, as it arrives. */
  live?: LiveLines | undefined
  /** Bytes of each stream kept per host (0: all). */
  maxOutput: number
  /** Seconds a command may run on a host (0: no limit). */
  timeout: number
}

/** A finished run: each host's result, the summary, where the failed hosts were recorded, what interrupted it. */
export interface RunReport {
  results: HostResult[]
  retry: RetryRecord | undefined
  stoppedBy: StopSignal | undefined
  summary: RunSummary
}

/** What runs on each host: ARGV as `command` takes it (as root: directly, else sudo -n), or a script sent over stdin. */
export type RemoteWork = {argv: readonly string[]; asRoot: boolean} | {script: string}

/** command, command_root, ping, uptime, heredoc and batch: one command on every host the pattern selects. */
export async function runOnHosts(pattern: string, work: RemoteWork, options: RunOptions): Promise<RunReport> {
  return withScope(pattern, options, (scope) =>
    'script' in work
      ? runInScope(scope, () => scriptCommand(work.script), options, work.script)
      : runInScope(scope, commandFor(work.argv, work.asRoot), options),
  )
}

function commandFor(argv: readonly string[], root: boolean): (target: SshTarget) => string {
  const line = commandLine(argv)
  return root ? (target) => asRoot(target, line) : () => line
}

export async function runInScope(
  scope: Scope,
  commandFor: (target: SshTarget) => string,
  options: RunOptions,
  stdin?: string,
): Promise<RunReport> {
  const results = await runCommand(scope.session, commandFor, {
    maxOutputBytes: options.maxOutput,
    onOutput: options.live?.listener,
    stdin,
    timeoutMs: options.timeout * 1000,
  })
  options.live?.flush()
  return finishRun(scope, results)
}

/** The report of a finished run; the hosts that did not succeed are recorded for --limit @FILE. */
export async function finishRun(scope: Scope, results: HostResult[]): Promise<RunReport> {
  const summary = summarize(results, Math.round(performance.now() - scope.startedAt))
  const retry = await recordRetry(scope.stateDir, failedHosts(results))
  return {results, retry, stoppedBy: stopSignal(scope.session.signal), summary}
}
