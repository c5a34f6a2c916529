import type {Filter} from '../environment.js'
import {TemplateFault} from '../fault.js'
import {percentFormat} from '../format.js'
import {capitalize, center, replace, split, splitlines, strip} from '../pystring.js'
import {pyStr} from '../repr.js'
import {checkDefined, codePoints, isMapping, iterate, mappingEntries, stringLength, truthy, tuple} from '../values.js'
import {lookupPath} from './core.js'
import {define, integer, text} from './define.js'

/** Jinja2's title: each word (split at whitespace, `-`, and opening brackets) capitalised. */
function title(value: unknown): string {
  return pyStr(value)
    .split(/([-\s({[<]+)/u)
    .filter((item) => item !== '')
    .map((item) => {
      const [first = '', ...rest] = codePoints(item)
      return first.toUpperCase() + rest.join('').toLowerCase()
    })
    .join('')
}

function indent(value: unknown, width: unknown, first: unknown, blank: unknown): string {
  const source = text(checkDefined(value), 'indent input')
  const indention = typeof width === 'string' ? width : ' '.repeat(width === undefined ? 4 : integer(width, 'width'))
  const lines = splitlines(`${source}\n`)
  let out: string
  if (blank !== undefined && truthy(blank)) out = lines.join(`\n${indention}`)
  else {
    out = lines[0] ?? ''
    if (lines.length > 1)
      out += `\n${lines
        .slice(1)
        .map((line) => (line ? indention + line : line))
        .join('\n')}`
  }
  return first !== undefined && truthy(first) ? indention + out : out
}

function truncate(value: unknown, length: unknown, killwords: unknown, end: unknown, leeway: unknown): string {
  const source = pyStr(value)
  const size = length === undefined ? 255 : integer(length, 'length')
  const ending = end === undefined ? '...' : text(end, 'end')
  const slack = leeway === undefined || leeway === null ? 5 : integer(leeway, 'leeway')
  if (size < stringLength(ending)) throw new TemplateFault(`expected length >= ${stringLength(ending)}, got ${size}`)
  if (slack < 0) throw new TemplateFault(`expected leeway >= 0, got ${slack}`)
  const chars = codePoints(source)
  if (chars.length <= size + slack) return source
  const head = chars.slice(0, size - stringLength(ending)).join('')
  if (killwords !== undefined && truthy(killwords)) return head + ending
  const space = head.lastIndexOf(' ')
  return (space === -1 ? head : head.slice(0, space)) + ending
}

/** Python's shlex.quote. */
function shellQuote(value: string): string {
  if (value === '') return "''"
  if (!/[^\w@%+=:,./-]/.test(value)) return value
  return `'${value.replaceAll("'", `'"'"'`)}'`
}

const HTML_ESCAPES: Record<string, string> = {'"': '&#34;', '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;'}

/** markupsafe.escape: what Jinja2's `escape` filter prints when autoescape is off. */
function htmlEscape(value: unknown): string {
  return pyStr(value).replace(/["&'<>]/g, (char) => HTML_ESCAPES[char] ?? char)
}

/** Jinja2's url_quote: UTF-8 percent-encoding (urllib's quote); for a query, `/` quoted too and spaces as `+`. */
function urlQuote(value: unknown, forQuery: boolean): string {
  const quoted = Array.from(new TextEncoder().encode(pyStr(value)), (byte) => {
    const char = String.fromCharCode(byte)
    return /[A-Za-z0-9_.~-]/.test(char) || (!forQuery && char === '/')
      ? char
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }).join('')
  return forQuery ? quoted.replaceAll('%20', '+') : quoted
}

function urlencode(value: unknown): string {
  checkDefined(value)
  if (typeof value === 'string' || !(Array.isArray(value) || isMapping(value))) return urlQuote(value, false)
  const pairs = isMapping(value) ? mappingEntries(value) : value.map((pair) => iterate(pair))
  return pairs.map(([key, item]) => `${urlQuote(key, true)}=${urlQuote(item, true)}`).join('&')
}

const REGEX_SPECIAL = new Set('()[]{}?*+-|^$\\.&~# \t\n\r\v\f'.split(''))

export const STRING_FILTERS: Record<string, Filter> = {
  capitalize: define([], 0, (value) => capitalize(pyStr(value))),
  e: define([], 0, htmlEscape),
  escape: define([], 0, htmlEscape),
  forceescape: define([], 0, htmlEscape),
  center: define(['width'], 0, (value, width) => center(pyStr(value), width === undefined ? 80 : integer(width))),
  format: (value, args, kwargs) => {
    if (args.length && Object.keys(kwargs).length) {
      throw new TemplateFault("can't handle positional and keyword arguments at the same time")
    }
    return percentFormat(pyStr(value), Object.keys(kwargs).length ? kwargs : tuple(args))
  },
  indent: define(['width', 'first', 'blank'], 0, indent),
  join: define(['d', 'attribute'], 0, (value, separator, attribute) =>
    iterate(value)
      .map((item) => pyStr(attribute === undefined ? item : lookupPath(item, attribute)))
      .join(separator === undefined ? '' : pyStr(separator)),
  ),
  lower: define([], 0, (value) => pyStr(value).toLowerCase()),
  quote: define([], 0, (value) => shellQuote(value === null ? '' : pyStr(value))),
  regex_escape: define(['re_type'], 0, (value, type) => {
    const source = pyStr(value)
    if (type === undefined || type === 'python') {
      return codePoints(source)
        .map((char) => (REGEX_SPECIAL.has(char) ? `\\${char}` : char))
        .join('')
    }
    if (type === 'posix_basic') return source.replace(/[\].[^$*\\]/g, '\\$&')
    if (type === 'posix_extended') throw new TemplateFault(`Regex type (${pyStr(type)}) not yet implemented`)
    throw new TemplateFault(`Invalid regex type (${pyStr(type)})`)
  }),
  replace: define(['old', 'new', 'count'], 2, (value, old, replacement, count) =>
    replace(
      pyStr(value),
      pyStr(old),
      pyStr(replacement),
      count === undefined || count === null ? -1 : integer(count, 'count'),
    ),
  ),
  split: define(['sep', 'maxsplit'], 0, (value, separator, maxsplit) =>
    split(
      text(checkDefined(value), "descriptor 'split' input"),
      separator === undefined || separator === null ? separator : text(separator, 'sep'),
      maxsplit === undefined ? -1 : integer(maxsplit, 'maxsplit'),
    ),
  ),
  safe: define([], 0, (value) => pyStr(value)),
  title: define([], 0, title),
  trim: define(['chars'], 0, (value, chars) =>
    strip(pyStr(value), chars === undefined || chars === null ? null : text(chars, 'chars'), 'both'),
  ),
  truncate: define(['length', 'killwords', 'end', 'leeway'], 0, truncate),
  upper: define([], 0, (value) => pyStr(value).toUpperCase()),
  urlencode: define([], 0, urlencode),
  wordcount: define([], 0, (value) => pyStr(value).match(/[\p{L}\p{N}\p{Mn}\p{Pc}]+/gu)?.length ?? 0),
}
