import type {StreamInfo} from '../transport/captured-output.js'
import type {RetryFailure} from './retry-file.js'

export type HostStatus = 'failed' | 'ok' | 'unreachable'

export interface Streams {
  stderr: StreamInfo
  stdout: StreamInfo
}

/** One host's result of one remote command. */
export interface HostResult {
  durationMs: number
  /** Why the host has no normal exit: the connection error, a timeout, an interrupt. */
  error: null | string
  exitCode: null | number
  host: string
  status: HostStatus
  stderr: string
  stdout: string
  /** What the command sent on each stream, when it ran: bytes, bytes left out, whether it was UTF-8. */
  streams?: Streams
}

export interface RunSummary {
  durationMs: number
  failed: number
  ok: number
  unreachable: number
}

/** The `--json` shape of one host's result. */
export interface HostResultJson {
  durationMs: number
  error: null | string
  exitCode: null | number
  host: string
  ok: boolean
  stderr: string
  stdout: string
  streams?: Streams
}

export interface RunReportJson extends RetryFailure {
  results: HostResultJson[]
  summary: RunSummary
}

export function summarize(results: readonly HostResult[], durationMs: number): RunSummary {
  const summary: RunSummary = {durationMs, failed: 0, ok: 0, unreachable: 0}
  for (const result of results) summary[result.status]++
  return summary
}

export function toJson(results: readonly HostResult[], durationMs: number): RunReportJson {
  return {
    results: results.map(({durationMs, error, exitCode, host, status, stderr, stdout, streams}) => ({
      durationMs,
      error,
      exitCode,
      host,
      ok: status === 'ok',
      stderr,
      stdout,
      ...(streams ? {streams} : {}),
    })),
    summary: summarize(results, durationMs),
  }
}

export function failedHosts(results: readonly HostResult[]): string[] {
  return results.filter((result) => result.status !== 'ok').map((result) => result.host)
}
