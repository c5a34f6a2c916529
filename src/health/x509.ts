/** What `openssl x509 -noout -subject -issuer -startdate -enddate -fingerprint -sha256` prints about a certificate. */
export interface X509Summary {
  subject: string
  issuer: string
  notBeforeMs: number
  notAfterMs: number
  sha256: string
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** OpenSSL's `Nov  2 17:00:00 2026 GMT`, always UTC. */
export function parseOpensslDate(text: string): number | undefined {
  const match = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4}) GMT$/.exec(text.trim())
  const month = match ? MONTHS.indexOf(match[1]!) : -1
  if (!match || month < 0) return undefined
  const [, , day, hours, minutes, seconds, year] = match.map(Number)
  return Date.UTC(year!, month, day, hours, minutes, seconds)
}

export function parseX509(text: string): X509Summary | undefined {
  const fields = new Map<string, string>()
  for (const line of text.split('\n')) {
    const at = line.indexOf('=')
    if (at > 0) fields.set(line.slice(0, at).trim(), line.slice(at + 1).trim())
  }
  const notBeforeMs = parseOpensslDate(fields.get('notBefore') ?? '')
  const notAfterMs = parseOpensslDate(fields.get('notAfter') ?? '')
  if (notBeforeMs === undefined || notAfterMs === undefined) return undefined
  return {
    issuer: fields.get('issuer') ?? '',
    notAfterMs,
    notBeforeMs,
    sha256: fields.get('sha256 Fingerprint') ?? fields.get('SHA256 Fingerprint') ?? '',
    subject: fields.get('subject') ?? '',
  }
}
