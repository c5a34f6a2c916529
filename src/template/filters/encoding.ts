import {createHash, getHashes} from 'node:crypto'

import type {Filter} from '../environment.js'
import {TemplateFault} from '../fault.js'
import {pyStr} from '../repr.js'
import {checkDefined} from '../values.js'
import {define, text} from './define.js'

/** hashlib names that Node names differently. */
const HASH_NAMES = new Map([
  ['blake2b', 'blake2b512'],
  ['blake2s', 'blake2s256'],
  ['sha3_224', 'sha3-224'],
  ['sha3_256', 'sha3-256'],
  ['sha3_384', 'sha3-384'],
  ['sha3_512', 'sha3-512'],
])

function digest(data: unknown, algorithm: string): string {
  const name = HASH_NAMES.get(algorithm) ?? algorithm
  if (!getHashes().includes(name)) throw new TemplateFault(`unsupported hash type ${algorithm}`)
  return createHash(name)
    .update(pyStr(checkDefined(data)), 'utf8')
    .digest('hex')
}

const UTF8 = new TextDecoder('utf-8', {fatal: true})

function b64decode(value: unknown): string {
  const encoded = pyStr(checkDefined(value)).replace(/[^A-Za-z0-9+/=]/g, '')
  const data = encoded.replace(/=+$/, '')
  if (data.length % 4 === 1) {
    throw new TemplateFault(
      `Invalid base64-encoded string: number of data characters (${data.length}) cannot be 1 more than a multiple of 4`,
    )
  }
  if (encoded.length % 4 !== 0 || /=[^=]/.test(encoded)) throw new TemplateFault('Incorrect padding')
  try {
    return UTF8.decode(Buffer.from(data, 'base64'))
  } catch {
    throw new TemplateFault("'utf-8' codec can't decode the base64-decoded bytes")
  }
}

/** uuid.uuid5(namespace, name). */
function uuid5(name: string, namespace: string): string {
  const hex = namespace.replace(/[{}-]|^urn:uuid:/gi, '')
  if (!/^[\da-f]{32}$/i.test(hex)) throw new TemplateFault(`Invalid value '${namespace}' for 'namespace'`)
  const hash = createHash('sha1').update(Buffer.from(hex, 'hex')).update(name, 'utf8').digest().subarray(0, 16)
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80
  const out = hash.toString('hex')
  return `${out.slice(0, 8)}-${out.slice(8, 12)}-${out.slice(12, 16)}-${out.slice(16, 20)}-${out.slice(20)}`
}

const URL_PARTS = ['fragment', 'hostname', 'netloc', 'password', 'path', 'port', 'query', 'scheme', 'username']

/** Python's urllib.parse.urlsplit, as the dict Ansible's urlsplit filter returns. */
function urlsplit(value: string): Record<string, unknown> {
  let rest = value.replace(/^[\x00-\x20]+/, '').replace(/[\t\r\n]/g, '')
  let scheme = ''
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest)
  if (schemeMatch) {
    scheme = (schemeMatch[1] ?? '').toLowerCase()
    rest = rest.slice(schemeMatch[0].length)
  }
  let netloc = ''
  if (rest.startsWith('//')) {
    const end = rest.slice(2).search(/[/?#]/)
    netloc = end === -1 ? rest.slice(2) : rest.slice(2, end + 2)
    rest = end === -1 ? '' : rest.slice(end + 2)
  }
  let fragment = ''
  const hash = rest.indexOf('#')
  if (hash !== -1) {
    fragment = rest.slice(hash + 1)
    rest = rest.slice(0, hash)
  }
  let query = ''
  const question = rest.indexOf('?')
  if (question !== -1) {
    query = rest.slice(question + 1)
    rest = rest.slice(0, question)
  }
  const at = netloc.lastIndexOf('@')
  const userinfo = at === -1 ? undefined : netloc.slice(0, at)
  const hostport = at === -1 ? netloc : netloc.slice(at + 1)
  const colon = userinfo?.indexOf(':') ?? -1
  const username = userinfo === undefined ? null : colon === -1 ? userinfo : userinfo.slice(0, colon)
  const password = userinfo === undefined || colon === -1 ? null : userinfo.slice(colon + 1)
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(hostport)
  const hostname = bracketed ? (bracketed[1] ?? '') : hostport.split(':')[0]
  const portText = bracketed ? bracketed[2] : hostport.includes(':') ? hostport.split(':')[1] : undefined
  let port: number | null = null
  if (portText) {
    if (!/^\d+$/.test(portText) || Number(portText) > 65535) {
      throw new TemplateFault(`Port could not be cast to integer value as '${portText}'`)
    }
    port = Number(portText)
  }
  return {
    fragment,
    hostname: hostname ? hostname.toLowerCase() : null,
    netloc,
    password,
    path: rest,
    port,
    query,
    scheme,
    username,
  }
}

export const ENCODING_FILTERS: Record<string, Filter> = {
  b64decode: define(['encoding'], 0, (value) => b64decode(value)),
  b64encode: define(['encoding'], 0, (value) => Buffer.from(pyStr(checkDefined(value)), 'utf8').toString('base64')),
  checksum: define([], 0, (value) => digest(value, 'sha1')),
  hash: define(['hashtype'], 0, (value, type) => digest(value, type === undefined ? 'sha1' : text(type, 'hashtype'))),
  md5: define([], 0, (value) => digest(value, 'md5')),
  sha1: define([], 0, (value) => digest(value, 'sha1')),
  to_uuid: define(['namespace'], 0, (value, namespace) =>
    uuid5(
      pyStr(checkDefined(value)),
      namespace === undefined ? '361E6D51-FAEC-444A-9079-341386DA8E2E' : pyStr(namespace),
    ),
  ),
  urldecode: define([], 0, (value) => {
    const source = pyStr(checkDefined(value)).replaceAll('+', ' ')
    return source.replace(/(?:%[\da-fA-F]{2})+/g, (encoded) => {
      try {
        return decodeURIComponent(encoded)
      } catch {
        return encoded
      }
    })
  }),
  urlsplit: define(['query'], 0, (value, query) => {
    const parts = urlsplit(text(checkDefined(value), 'urlsplit input'))
    if (query === undefined || query === '') return parts
    const name = text(query, 'query')
    if (!URL_PARTS.includes(name)) throw new TemplateFault(`urlsplit: unknown URL component: ${name}`)
    return parts[name]
  }),
}
