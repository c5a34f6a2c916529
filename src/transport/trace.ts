import {appendFileSync} from 'node:fs'

/** The environment variable naming the trace file; unset (the default) traces nothing. */
export const TRACE_ENV = 'GOLDENTOOTH_TRACE'

/** What one line of the trace records: a connection opened, an exec channel, an SFTP session. */
export type TraceOperation = 'connect' | 'download' | 'exec' | 'upload'

export interface TraceLine {
  host: string
  op: TraceOperation
  pid: number
  /** Epoch milliseconds when the operation started. */
  time: number
}

/**
 * GOLDENTOOTH_TRACE=FILE: append one JSON line per remote operation (connection, exec channel, SFTP upload or
 * download) to FILE, to count the round trips a run really makes (the benchmarks check "one probe round trip per
 * host" with it). Host and operation only: never a command line or file content. Lines are written with O_APPEND, so
 * concurrent processes may share a file.
 */
export function trace(host: string, op: TraceOperation): void {
  const file = process.env[TRACE_ENV]
  if (!file) return
  const line: TraceLine = {host, op, pid: process.pid, time: Date.now()}
  appendFileSync(file, `${JSON.stringify(line)}\n`)
}
