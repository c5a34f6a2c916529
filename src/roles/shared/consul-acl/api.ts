import type {HttpResponse} from '../hashicorp/curl.js'

import {shq} from '../../../transport/quote.js'
import {CONSUL_PORTS} from '../../consul/settings.js'
import {curlConfig} from '../hashicorp/curl.js'

/** Consul's HTTP API on a Consul server's loopback listener, where goldentooth makes its ACL changes. */
export const CONSUL_HTTP = `http://127.0.0.1:${CONSUL_PORTS.http}`

export interface ApiRequest {
  body?: unknown
  method: 'DELETE' | 'GET' | 'PUT'
  path: string
}

export type ApiResponse = HttpResponse

/** The curl config for one request to the local Consul agent, with the ACL token as X-Consul-Token. */
export function consulCurlConfig(request: ApiRequest, token: string, base = CONSUL_HTTP): string {
  return curlConfig({
    ...(request.body === undefined ? {} : {body: request.body}),
    headers: token === '' ? [] : [`X-Consul-Token: ${token}`],
    method: request.method,
    url: `${base}${request.path}`,
  })
}

/**
 * A shell snippet (the body of a command resource) that makes one request and succeeds on a 2xx status; otherwise it
 * prints the status and Consul's message (any SecretID blanked) and fails. `onStatus` adds `case` arms. The config,
 * token included, reaches curl through a here-document: it is in the apply script (sent over stdin), never in argv.
 */
export function requestCommand(
  request: ApiRequest,
  token: string,
  done: string,
  onStatus = '',
  base = CONSUL_HTTP,
): string {
  return [
    'body=$(mktemp) || return 1',
    `status=$(curl -sS --max-time 30 -o "$body" -w '%{http_code}' -K - 2>"$body.err" <<'GOLDENTOOTH_CURL'`,
    `${consulCurlConfig(request, token, base)}GOLDENTOOTH_CURL`,
    ') || status=000',
    'reply=$(sed \'s/"SecretID": *"[^"]*"/"SecretID":"********"/g\' "$body" | head -c 600); why=$(cat "$body.err")',
    'rm -f "$body" "$body.err"',
    'case "$status" in',
    `  2??) echo ${shq(done)} ;;`,
    ...(onStatus === '' ? [] : [onStatus]),
    `  000) echo ${shq(`Consul's HTTP API at ${base} did not answer ${request.method} ${request.path}:`)} "$why"; return 1 ;;`,
    `  *) echo ${shq(`${request.method} ${request.path}: HTTP`)} "$status: $reply"; return 1 ;;`,
    'esac',
  ].join('\n')
}

/**
 * A script that makes several read-only requests to the local agent and prints one `Q ID STATUS BASE64-BODY` line
 * each. The token is the first line of stdin; the script prints `E …` when curl is missing.
 */
export function queryScript(queries: ReadonlyArray<{id: string; path: string}>, base = CONSUL_HTTP): string {
  return [
    'IFS= read -r TOKEN || TOKEN=',
    'command -v curl >/dev/null || { echo "E curl is not installed"; exit 0; }',
    'q() {',
    '  body=$(mktemp) || exit 1',
    `  status=$({ printf 'url = "%s%s"\\n' ${shq(base)} "$2"; [ -z "$TOKEN" ] || printf 'header = "X-Consul-Token: %s"\\n' "$TOKEN"; } | curl -sS --max-time 10 -o "$body" -w '%{http_code}' -K - 2>/dev/null) || status=000`,
    '  printf \'Q %s %s \' "$1" "$status"; base64 -w0 < "$body"; printf \'\\n\'; rm -f "$body"',
    '}',
    ...queries.map((query) => `q ${shq(query.id)} ${shq(query.path)}`),
  ].join('\n')
}

/** The responses a query script printed, by query id. */
export function parseQueries(stdout: string): Map<string, ApiResponse> {
  const responses = new Map<string, ApiResponse>()
  for (const line of stdout.split('\n')) {
    const match = /^Q (\S+) (\d{3}) ?(\S*)$/.exec(line.trim())
    if (!match) continue
    responses.set(match[1]!, {body: Buffer.from(match[3]!, 'base64').toString('utf8'), status: Number(match[2])})
  }
  return responses
}
