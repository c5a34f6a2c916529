import path from 'node:path'

import {GoldentoothError} from '../core/errors.js'
import {writeFileAtomically} from '../state/atomic-write.js'
import {STATE_DIR_ELSEWHERE} from '../state/file-errors.js'

/** The hosts of a run that did not succeed, recorded for `--limit @FILE`; `error` says why the file could not be. */
export interface RetryRecord {
  error?: {hint?: string; message: string}
  file: string
  hosts: number
}

/** Why the hosts to retry could not be recorded; a run's --json document carries it beside the results. */
export type RetryFailure = Pick<RetryRecord, 'error'>

/**
 * Record the hosts that did not succeed for `--limit @FILE` (like Ansible's .retry files). A state directory that
 * cannot take the file (full, read-only) is reported beside the run's results, never instead of them.
 */
export async function recordRetry(stateDir: string, hosts: readonly string[]): Promise<RetryRecord | undefined> {
  const failed = [...new Set(hosts)]
  if (failed.length === 0) return undefined
  const file = path.join(stateDir, 'retry')
  try {
    writeFileAtomically(file, failed.map((host) => `${host}\n`).join(''), {
      directoryMode: 0o700,
      elsewhere: STATE_DIR_ELSEWHERE,
    })
  } catch (error) {
    if (!(error instanceof GoldentoothError)) throw error
    return {error: {message: error.message, ...(error.hint ? {hint: error.hint} : {})}, file, hosts: failed.length}
  }
  return {file, hosts: failed.length}
}
