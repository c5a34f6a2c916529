import {TemplateFault} from './fault.js'

export interface RegexFlags {
  ignorecase?: boolean
  multiline?: boolean
}

const SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000'
const WORD = '\\p{L}\\p{N}\\p{Mn}\\p{Pc}'
const SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''))
const SIMPLE = new Map([
  ['a', '\\x07'],
  ['f', '\\f'],
  ['n', '\\n'],
  ['r', '\\r'],
  ['t', '\\t'],
  ['v', '\\v'],
])

function unsupported(what: string): TemplateFault {
  return new TemplateFault(`regular expression: ${what} is not supported`)
}

function codeEscape(code: number): string {
  return `\\u{${code.toString(16)}}`
}

/** One escape sequence at pattern[i] (a backslash): its JS equivalent and the length it used. */
function translateEscape(pattern: string, i: number, inClass: boolean, groupCount: number): [string, number] {
  const next = pattern[i + 1]
  if (next === undefined) throw new TemplateFault('bad escape (end of pattern)')
  const simple = SIMPLE.get(next)
  if (simple) return [simple, 2]
  if (next === 'd') return ['\\p{Nd}', 2]
  if (next === 'D') return ['\\P{Nd}', 2]
  if (next === 'w') return [inClass ? WORD : `[${WORD}]`, 2]
  if (next === 'W') {
    if (inClass) throw unsupported('\\W inside a character class')
    return [`[^${WORD}]`, 2]
  }
  if (next === 's') return [inClass ? SPACE : `[${SPACE}]`, 2]
  if (next === 'S') {
    if (inClass) throw unsupported('\\S inside a character class')
    return [`[^${SPACE}]`, 2]
  }
  if (next === 'A' && !inClass) return ['(?<![\\s\\S])', 2]
  if (next === 'Z' && !inClass) return ['(?![\\s\\S])', 2]
  if ((next === 'b' || next === 'B') && !inClass) return [`\\${next}`, 2]
  if (next === 'b') return ['\\x08', 2]
  if (next === 'x') {
    const hex = /^[\da-fA-F]{2}/.exec(pattern.slice(i + 2))?.[0]
    if (!hex) throw new TemplateFault(`incomplete escape \\x`)
    return [codeEscape(Number.parseInt(hex, 16)), 4]
  }
  if (next === 'u' || next === 'U') {
    const width = next === 'u' ? 4 : 8
    const hex = new RegExp(`^[\\da-fA-F]{${width}}`).exec(pattern.slice(i + 2))?.[0]
    if (!hex) throw new TemplateFault(`incomplete escape \\${next}`)
    return [codeEscape(Number.parseInt(hex, 16)), 2 + width]
  }
  if (next === '0') {
    const octal = /^[0-7]{0,2}/.exec(pattern.slice(i + 2))?.[0] ?? ''
    return [codeEscape(Number.parseInt(`0${octal}`, 8)), 2 + octal.length]
  }
  if (/[1-9]/.test(next)) {
    const digits = /^\d{1,2}/.exec(pattern.slice(i + 1))?.[0] ?? next
    if (inClass || /^[0-7]{3}/.test(pattern.slice(i + 1))) {
      const octal = /^[0-7]{1,3}/.exec(pattern.slice(i + 1))?.[0] ?? next
      return [codeEscape(Number.parseInt(octal, 8)), 1 + octal.length]
    }
    if (Number(digits) > groupCount) throw new TemplateFault(`invalid group reference ${digits}`)
    return [`\\${digits}`, 1 + digits.length]
  }
  if (/[A-Za-z]/.test(next)) throw new TemplateFault(`bad escape \\${next}`)
  if (SYNTAX.has(next) || (inClass && next === '-')) return [`\\${next}`, 2]
  return [codeEscape(next.codePointAt(0) ?? 0), 1 + (next.length || 1)]
}

/** The number of capturing groups, for deciding whether `\12` is a back-reference. */
function countGroups(pattern: string): number {
  let count = 0
  let inClass = false
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]
    if (char === '\\') i++
    else if (inClass) {
      if (char === ']') inClass = false
    } else if (char === '[') inClass = true
    else if (char === '(' && (pattern[i + 1] !== '?' || pattern.startsWith('(?P<', i))) count++
  }
  return count
}

const REPLACEMENT_ESCAPES = new Map([
  ['\\', '\\'],
  ['a', '\x07'],
  ['b', '\b'],
  ['f', '\f'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
  ['v', '\v'],
])

const QUANTIFIER = /^\{(?:\d+(?:,\d*)?|,\d+)\}/

/** A Python `re` pattern as a JS RegExp with the same meaning (Python's `$`, `.`, `\A`, `\Z`, `(?P<name>)`, …). */
export function pythonRegex(pattern: string, flags: RegexFlags = {}, extraFlags = ''): RegExp {
  let multiline = Boolean(flags.multiline)
  let ignorecase = Boolean(flags.ignorecase)
  let dotall = false
  let source = pattern
  const inline = /^\(\?([aiLmsux]+)\)/.exec(source)
  if (inline) {
    const letters = inline[1] ?? ''
    if (letters.includes('x')) throw unsupported('verbose mode (?x)')
    multiline ||= letters.includes('m')
    ignorecase ||= letters.includes('i')
    dotall = letters.includes('s')
    source = source.slice(inline[0].length)
  }
  const groups = countGroups(source)
  let out = ''
  let inClass = false
  let classStart = -1
  for (let i = 0; i < source.length;) {
    const char = source[i] ?? ''
    if (char === '\\') {
      const [text, length] = translateEscape(source, i, inClass, groups)
      out += text
      i += length
      continue
    }
    if (inClass) {
      if (char === ']' && i > classStart) {
        inClass = false
        out += ']'
      } else if (char === '[') out += '\\['
      else out += char
      i++
      continue
    }
    if (char === '[') {
      inClass = true
      out += '['
      i++
      if (source[i] === '^') {
        out += '^'
        i++
      }
      if (source[i] === ']') {
        out += '\\]'
        i++
      }
      classStart = i
      continue
    }
    if (char === '(' && source[i + 1] === '?') {
      const rest = source.slice(i)
      if (rest.startsWith('(?P<')) {
        out += '(?<'
        i += 4
      } else if (rest.startsWith('(?P=')) {
        const end = source.indexOf(')', i)
        out += `\\k<${source.slice(i + 4, end)}>`
        i = end + 1
      } else if (rest.startsWith('(?#')) {
        i = source.indexOf(')', i) + 1 || source.length
      } else if (/^\(\?(?::|=|!|<=|<!|<[A-Za-z_])/.test(rest)) {
        out += '(?'
        i += 2
      } else throw unsupported(`the group ${rest.slice(0, 4)}…`)
      continue
    }
    if (char === '.') out += dotall ? '[\\s\\S]' : '[^\\n]'
    else if (char === '^') out += multiline ? '(?:(?<![\\s\\S])|(?<=\\n))' : '(?<![\\s\\S])'
    else if (char === '$') out += multiline ? '(?=\\n|(?![\\s\\S]))' : '(?=\\n?(?![\\s\\S]))'
    else if (char === '{') {
      const quantifier = QUANTIFIER.exec(source.slice(i))?.[0]
      if (quantifier && i > 0) {
        out += quantifier
        i += quantifier.length
        continue
      }
      out += '\\{'
    } else if (char === '}') out += '\\}'
    else out += char
    i++
  }
  if (inClass) throw new TemplateFault(`unterminated character set at position ${classStart - 1}`)
  try {
    return new RegExp(out, `u${ignorecase ? 'i' : ''}${extraFlags}`)
  } catch (error) {
    throw new TemplateFault(`invalid regular expression ${JSON.stringify(pattern)}: ${(error as Error).message}`)
  }
}

/** Python's re.sub replacement template (`\1`, `\g<1>`, `\g<name>`, `\n`) expanded for one match. */
export function expandTemplate(template: string, match: RegExpExecArray): string {
  return template.replace(/\\(g<([^>]*)>|\d{1,2}|[\s\S])?/g, (whole, escape?: string, group?: string) => {
    if (escape === undefined) throw new TemplateFault('bad escape (end of pattern)')
    const reference = group ?? (/^\d/.test(escape) ? escape : undefined)
    if (reference !== undefined) {
      const value = /^\d+$/.test(reference) ? match[Number(reference)] : match.groups?.[reference]
      if (/^\d+$/.test(reference) ? Number(reference) >= match.length : !(reference in (match.groups ?? {}))) {
        throw new TemplateFault(`invalid group reference ${reference}`)
      }
      return value ?? ''
    }
    const character = REPLACEMENT_ESCAPES.get(escape)
    if (character !== undefined) return character
    if (/[A-Za-z]/.test(escape)) throw new TemplateFault(`bad escape \\${escape}`)
    return whole
  })
}
