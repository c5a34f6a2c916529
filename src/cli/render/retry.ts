import path from 'node:path'

import type {RetryFailure, RetryRecord} from '../../fanout/retry-file.js'

import {errorText} from '../renderer.js'

/** On stderr after a run's summary: how to retry the hosts that failed, or why they could not be recorded. */
export function retryText(retry: RetryRecord | undefined): string {
  if (!retry) return ''
  if (retry.error) return errorText(retry.error)
  const relative = path.relative(process.cwd(), retry.file)
  return `retry the ${retry.hosts} failed host(s) with: --limit @${relative.startsWith('..') ? retry.file : relative}\n`
}

/** In a run's --json document, beside its results: why the hosts to retry could not be recorded. */
export function retryJson(retry: RetryRecord | undefined): RetryFailure {
  return retry?.error ? {error: retry.error} : {}
}
