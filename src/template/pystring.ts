import {TemplateFault} from './fault.js'
import {codePoints, stringLength} from './values.js'

/** The characters Python's str.isspace() accepts (and str.split()/strip() remove by default). */
const SPACE_CLASS = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000'
const SPACES = new RegExp(`[${SPACE_CLASS}]+`, 'u')
const LEADING = new RegExp(`^[${SPACE_CLASS}]+`, 'u')
const TRAILING = new RegExp(`[${SPACE_CLASS}]+$`, 'u')
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g

function escapeClass(chars: string): string {
  return chars.replace(/[\\\]^-]/g, '\\$&')
}

export function strip(text: string, chars: string | null | undefined, side: 'both' | 'left' | 'right'): string {
  const left = chars == null ? LEADING : new RegExp(`^[${escapeClass(chars)}]+`, 'u')
  const right = chars == null ? TRAILING : new RegExp(`[${escapeClass(chars)}]+$`, 'u')
  if (chars === '') return text
  let out = text
  if (side !== 'right') out = out.replace(left, '')
  if (side !== 'left') out = out.replace(right, '')
  return out
}

/** Python's str.split(sep=None, maxsplit=-1). */
export function split(text: string, separator: string | null | undefined, maxsplit = -1): string[] {
  if (separator === '') throw new TemplateFault('empty separator')
  if (separator == null) {
    const parts: string[] = []
    let rest = strip(text, null, 'left')
    while (rest) {
      if (maxsplit >= 0 && parts.length === maxsplit) {
        parts.push(rest)
        break
      }
      const found = SPACES.exec(rest)
      if (!found) {
        parts.push(rest)
        break
      }
      parts.push(rest.slice(0, found.index))
      rest = rest.slice(found.index + found[0].length)
    }
    return parts
  }
  const pieces = text.split(separator)
  if (maxsplit < 0 || pieces.length <= maxsplit + 1) return pieces
  return [...pieces.slice(0, maxsplit), pieces.slice(maxsplit).join(separator)]
}

/** Python's str.rsplit(sep=None, maxsplit=-1). */
export function rsplit(text: string, separator: string | null | undefined, maxsplit = -1): string[] {
  if (maxsplit < 0) return split(text, separator)
  const reversed = (value: string): string => codePoints(value).reverse().join('')
  return split(reversed(text), separator == null ? separator : reversed(separator), maxsplit)
    .map(reversed)
    .reverse()
}

/** Python's str.splitlines(keepends=False). */
export function splitlines(text: string, keepends = false): string[] {
  const lines: string[] = []
  let start = 0
  for (const match of text.matchAll(LINE_BREAK)) {
    const end = match.index + match[0].length
    lines.push(text.slice(start, keepends ? end : match.index))
    start = end
  }
  if (start < text.length) lines.push(text.slice(start))
  return lines
}

/** Python's str.title(): the first cased character after an uncased one upper case, the others lower case. */
export function pyTitle(text: string): string {
  return text.replace(/\p{L}+/gu, (word) => {
    const [first = '', ...rest] = codePoints(word)
    return first.toUpperCase() + rest.join('').toLowerCase()
  })
}

/** Python's str.capitalize(). */
export function capitalize(text: string): string {
  const [first = '', ...rest] = codePoints(text)
  return first.toUpperCase() + rest.join('').toLowerCase()
}

/** Python's str.center(width, fillchar). */
export function center(text: string, width: number, fill = ' '): string {
  const margin = width - stringLength(text)
  if (margin <= 0) return text
  const left = Math.floor(margin / 2) + (margin & width & 1)
  return fill.repeat(left) + text + fill.repeat(margin - left)
}

/** Python's str.replace(old, new, count=-1). */
export function replace(text: string, old: string, replacement: string, count = -1): string {
  if (old === '') {
    const chars = codePoints(text)
    const slots = count < 0 ? chars.length + 1 : Math.min(count, chars.length + 1)
    let out = ''
    for (let i = 0; i <= chars.length; i++) out += (i < slots ? replacement : '') + (chars[i] ?? '')
    return out
  }
  const pieces = text.split(old)
  if (count < 0 || pieces.length <= count + 1) return pieces.join(replacement)
  return pieces.slice(0, count + 1).join(replacement) + old + pieces.slice(count + 1).join(old)
}

/** Python's str.count(sub): non-overlapping occurrences. */
export function countOf(text: string, sub: string): number {
  if (sub === '') return stringLength(text) + 1
  return text.split(sub).length - 1
}

/** Python's str.find(sub) as a code point index, -1 when absent. */
export function find(text: string, sub: string, fromEnd: boolean): number {
  const index = fromEnd ? text.lastIndexOf(sub) : text.indexOf(sub)
  return index === -1 ? -1 : stringLength(text.slice(0, index))
}

export function isSpace(text: string): boolean {
  return text.length > 0 && new RegExp(`^[${SPACE_CLASS}]+$`, 'u').test(text)
}
