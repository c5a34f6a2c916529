/**
 * HTTP requests to HashiCorp APIs, made with curl on a node. curl reads the whole request (URL, headers with tokens,
 * body with keys) from a config on its stdin (`curl -K -`), so no secret ever appears in a process's argv.
 */

export interface HttpRequest {
  body?: unknown
  /** CA bundle to verify the server with (https). */
  cacert?: string
  /** Extra headers, `Name: value`. */
  headers?: string[]
  method: 'DELETE' | 'GET' | 'POST' | 'PUT'
  url: string
}

export interface HttpResponse {
  body: string
  /** HTTP status; 0 when curl could not talk to the server at all. */
  status: number
}

/** A curl config value: double quotes, with `\` and `"` escaped and newlines as \n (man curl, --config). */
export function curlQuoted(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n').replaceAll('\r', '\\r')}"`
}

export function curlConfig(request: HttpRequest): string {
  const lines = [`url = ${curlQuoted(request.url)}`, `request = ${curlQuoted(request.method)}`]
  if (request.cacert) lines.push(`cacert = ${curlQuoted(request.cacert)}`)
  for (const header of request.headers ?? []) lines.push(`header = ${curlQuoted(header)}`)
  if (request.body !== undefined) {
    lines.push('header = "Content-Type: application/json"', `data = ${curlQuoted(JSON.stringify(request.body))}`)
  }
  return `${lines.join('\n')}\n`
}

/**
 * Run as a remote command with a curl config on stdin: prints `STATUS BASE64-BODY`; when the server does not answer
 * (TLS refused, nothing listening) it prints curl's own message on stderr and exits 2.
 */
export const CURL_STDIN_SCRIPT = [
  'command -v curl >/dev/null || { echo "curl is not installed" >&2; exit 127; }',
  'body=$(mktemp) || exit 1',
  'status=$(curl -sS --max-time 30 -o "$body" -w \'%{http_code}\' -K - 2>"$body.err") || status=000',
  'if [ "$status" = 000 ]; then cat "$body.err" >&2; rm -f "$body" "$body.err"; exit 2; fi',
  'printf \'%s \' "$status"; base64 -w0 < "$body"; printf \'\\n\'; rm -f "$body" "$body.err"',
].join('\n')

export function parseCurlOutput(stdout: string): HttpResponse | undefined {
  const match = /^(\d{3}) ?(\S*)$/m.exec(stdout.trim())
  if (!match) return undefined
  return {body: Buffer.from(match[2]!, 'base64').toString('utf8'), status: Number(match[1])}
}
