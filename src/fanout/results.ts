export type HostStatus = 'failed' | 'ok' | 'unreachable'

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
}

export interface RunReportJson {
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
    results: results.map(({durationMs, error, exitCode, host, status, stderr, stdout}) => ({
      durationMs,
      error,
      exitCode,
      host,
      ok: status === 'ok',
      stderr,
      stdout,
    })),
    summary: summarize(results, durationMs),
  }
}

export function failedHosts(results: readonly HostResult[]): string[] {
  return results.filter((result) => result.status !== 'ok').map((result) => result.host)
}
