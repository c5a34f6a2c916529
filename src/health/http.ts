import type {Probe, ProbeResult} from './model.js'

import {shJoin} from '../transport/quote.js'
import {firstLine, probeProblem} from './verdict.js'

export interface HttpRequest {
  url: string
  /** Status codes that count as healthy (the probe retries others while its retry window is open). */
  healthy: readonly number[]
  /** The cluster CA to verify the server with; never skip verification. */
  caFile?: string
  /** Client certificate and key, where the service requires mTLS. */
  certFile?: string
  keyFile?: string
  retrySeconds?: number
}

/** One request with curl: the body, then the status code on the last line; curl's complaint goes to stderr. */
export function httpProbe(request: HttpRequest): Probe {
  const args = ['curl', '-sS', '--max-time', '5', '-w', '\\n%{http_code}']
  if (request.caFile) args.push('--cacert', request.caFile)
  if (request.certFile && request.keyFile) args.push('--cert', request.certFile, '--key', request.keyFile)
  args.push('--', request.url)
  const script = `out=$(${shJoin(args)}); rc=$?
printf '%s\\n' "$out"
code=$(printf '%s\\n' "$out" | tail -n 1)
[ "$rc" -eq 0 ] || exit 1
case "$code" in ${request.healthy.join('|')}) exit 0 ;; esac
exit 1`
  return {script, ...(request.retrySeconds ? {retrySeconds: request.retrySeconds} : {})}
}

export type HttpOutcome = {body: string; ok: true; status: number} | {ok: false; problem: string}

/** The response a probe saw, or why there was none (connection refused, TLS, timeout). */
export function httpOutcome(result: ProbeResult | undefined): HttpOutcome {
  const problem = probeProblem(result, 'curl')
  if (problem || !result) return {ok: false, problem: problem ?? 'no result'}
  const lines = result.stdout.replace(/\n$/, '').split('\n')
  const status = Number(lines.pop())
  if (!Number.isInteger(status) || status === 0) {
    return {ok: false, problem: firstLine({...result, stdout: ''}) || 'no HTTP response'}
  }
  return {body: lines.join('\n'), ok: true, status}
}

/** Parse a JSON body; undefined when it is not JSON. */
export function jsonBody<T>(body: string): T | undefined {
  try {
    return JSON.parse(body) as T
  } catch {
    return undefined
  }
}
