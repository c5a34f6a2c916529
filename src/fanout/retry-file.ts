import path from 'node:path'

import {GoldentoothError} from '../core/errors.js'
import {writeFileAtomically} from '../state/atomic-write.js'
import {STATE_DIR_ELSEWHERE} from '../state/file-errors.js'

/** Why the hosts to retry could not be recorded; a run's --json document carries it beside the results. */
export interface RetryFailure {
  error?: {hint?: string; message: string}
}

/**
 * Record the hosts that did not succeed for `--limit @FILE` (like Ansible's .retry files) and say so on stderr. A state
 * directory that cannot take the file (full, read-only) is reported beside the run's results, never instead of them.
 */
export async function recordRetry(stateDir: string, hosts: readonly string[], json: boolean): Promise<RetryFailure> {
  const failed = [...new Set(hosts)]
  if (failed.length === 0) return {}
  const file = path.join(stateDir, 'retry')
  try {
    writeFileAtomically(file, failed.map((host) => `${host}\n`).join(''), {
      directoryMode: 0o700,
      elsewhere: STATE_DIR_ELSEWHERE,
    })
  } catch (error) {
    if (!(error instanceof GoldentoothError)) throw error
    if (!json) process.stderr.write(`goldentooth: ${error.message}\n${error.hint ? `  hint: ${error.hint}\n` : ''}`)
    return {error: {message: error.message, ...(error.hint ? {hint: error.hint} : {})}}
  }
  const relative = path.relative(process.cwd(), file)
  if (!json)
    process.stderr.write(
      `retry the ${failed.length} failed host(s) with: --limit @${relative.startsWith('..') ? file : relative}\n`,
    )
  return {}
}
