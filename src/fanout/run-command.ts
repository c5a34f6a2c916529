import type {SshTarget} from '../transport/types.js'
import type {HostResult} from './results.js'
import type {Session} from './session.js'

import {resultOf} from './outcome.js'

export type OutputListener = (host: string, stream: 'stderr' | 'stdout', chunk: Buffer) => void

export interface RunCommandOptions {
  /** Bytes of each stream to keep per host (0: all). */
  maxOutputBytes: number
  onOutput?: OutputListener | undefined
  stdin?: Buffer | string | undefined
  /** 0 for no limit. */
  timeoutMs: number
}

/** Run one command on every host of the session (the command may differ per host, e.g. wrapped in sudo). */
export async function runCommand(
  session: Session,
  commandFor: (target: SshTarget) => string,
  options: RunCommandOptions,
  hosts = session.hosts,
): Promise<HostResult[]> {
  const {maxOutputBytes, onOutput, stdin, timeoutMs} = options
  const outcomes = await session.forEach(async (connection, host) => {
    const result = await connection.exec(commandFor(connection.target), {
      maxOutputBytes,
      signal: session.signal,
      ...(stdin === undefined ? {} : {stdin}),
      ...(timeoutMs > 0 ? {timeoutMs} : {}),
      ...(onOutput
        ? {
            onStderr: (chunk: Buffer) => onOutput(host, 'stderr', chunk),
            onStdout: (chunk: Buffer) => onOutput(host, 'stdout', chunk),
          }
        : {}),
    })
    // A command killed by a signal we did not send: if the host itself went away, that is what to report.
    if (result.exitCode === null && !result.timedOut && !session.signal.aborted)
      await connection.exec('true', {timeoutMs: 5000})
    return result
  }, hosts)
  return outcomes.map((outcome) =>
    resultOf(outcome, ({exitCode, signal, stderr, stdout, streams, timedOut}, base): HostResult => {
      const error = timedOut
        ? `timed out after ${timeoutMs / 1000} s`
        : exitCode !== null
          ? null
          : session.signal.aborted
            ? 'interrupted'
            : `killed by ${signal ?? 'a signal'}`
      return {...base, error, exitCode, status: exitCode === 0 ? 'ok' : 'failed', stderr, stdout, streams}
    }),
  )
}
