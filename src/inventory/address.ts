import {isIPv4, isIPv6} from 'node:net'

// Ansible's lib/ansible/parsing/utils/addresses.py: host identifiers that may contain [x:y] ranges.
const NUMERIC_RANGE = String.raw`\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]`
const HEX_RANGE = String.raw`\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]`
const ALNUM_RANGE = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`
const V6 = `(?:[0-9a-f]{1,4}|${HEX_RANGE})`
const V4 = `(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|${NUMERIC_RANGE})`
const WORD = String.raw`[\p{L}\p{N}_]`
const LABEL = `(?:${WORD}|${ALNUM_RANGE})(?:${WORD}|[_-]|${ALNUM_RANGE})*(?<![_-])`

const BRACKETED_HOSTPORT = /^\[(.+)\]:([0-9]+)$/
const HOSTPORT = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/
const IPV4 = new RegExp(`^(?:${V4}\\.){3}${V4}$`, 'i')
const IPV6 = new RegExp(
  '^(?:' +
    [
      `(?:${V6}:){7}${V6}`,
      `(?:${V6}:){1,6}:`,
      `(?:${V6}:)(?::${V6}){1,6}`,
      `(?:${V6}:){2}(?::${V6}){1,5}`,
      `(?:${V6}:){3}(?::${V6}){1,4}`,
      `(?:${V6}:){4}(?::${V6}){1,3}`,
      `(?:${V6}:){5}(?::${V6}){1,2}`,
      `(?:${V6}:){6}(?::${V6})`,
      `:(?::${V6}){1,6}`,
      `${V6}?::`,
      `(?:0:){6}(?:${V6}\\.){3}${V6}`,
      `::(?:ffff:)?(?:${V6}\\.){3}${V6}`,
      `(?:0:){5}ffff:(?:${V6}\\.){3}${V6}`,
    ].join('|') +
    ')$',
  'i',
)
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`, 'iu')

export function looksLikeIpAddress(text: string): boolean {
  return IPV4.test(text) || IPV6.test(text)
}

/**
 * Ansible's parse_address(): split an optional `:port` off a host identifier (IPv4, IPv6 in brackets, or a name,
 * with `[x:y]` ranges when allowed). Returns undefined when the text is not a host identifier.
 */
export function parseAddress(text: string, allowRanges: boolean): {host: string; port?: number} | undefined {
  let address = text
  let port: number | undefined
  for (const pattern of [BRACKETED_HOSTPORT, HOSTPORT]) {
    const match = pattern.exec(address)
    if (match) {
      address = match[1]!
      port = Number(match[2])
    }
  }
  if (!IPV4.test(address) && !IPV6.test(address) && !HOSTNAME.test(address)) return undefined
  if (!allowRanges && address.includes('[')) return undefined
  return port === undefined ? {host: address} : {host: address, port}
}

/** An address a host can be reached at: an IPv4 or IPv6 address, or a syntactically valid DNS name. */
export function isUsableAddress(text: string): boolean {
  if (isIPv4(text) || isIPv6(text)) return true
  if (text.length > 253 || /^[0-9.]+$/.test(text)) return false
  return text
    .replace(/\.$/, '')
    .split('.')
    .every((label) => /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/.test(label))
}
