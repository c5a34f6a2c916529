import {TemplateFault} from './fault.js'
import {floatRepr} from './repr.js'
import {Undefined} from './undefined.js'
import {LazyMapping, PyFloat, failUndefined, float, isDict, mappingEntries, setItem, typeName} from './values.js'

export interface JsonOptions {
  indent?: number | string | undefined
  sortKeys?: boolean
  separators?: [string, string] | undefined
  ensureAscii?: boolean
}

function escapeString(text: string, ensureAscii: boolean): string {
  let out = '"'
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? ''
    const code = text.charCodeAt(i)
    if (char === '"') out += '\\"'
    else if (char === '\\') out += '\\\\'
    else if (char === '\n') out += '\\n'
    else if (char === '\r') out += '\\r'
    else if (char === '\t') out += '\\t'
    else if (char === '\b') out += '\\b'
    else if (char === '\f') out += '\\f'
    else if (code < 0x20 || (ensureAscii && code > 0x7e)) out += `\\u${code.toString(16).padStart(4, '0')}`
    else out += char
  }
  return `${out}"`
}

/** Python's json.dumps with Ansible's encoder (mappings such as hostvars become objects). */
export function jsonDumps(value: unknown, options: JsonOptions = {}): string {
  const indent = typeof options.indent === 'number' ? ' '.repeat(options.indent) : options.indent
  const [itemSeparator, keySeparator] = options.separators ?? (indent === undefined ? [', ', ': '] : [',', ': '])
  const ensureAscii = options.ensureAscii ?? true
  const write = (item: unknown, level: number): string => {
    if (item instanceof Undefined) failUndefined(item)
    if (item === null || item === undefined) return 'null'
    if (item === true) return 'true'
    if (item === false) return 'false'
    if (typeof item === 'string') return escapeString(item, ensureAscii)
    if (typeof item === 'number' || item instanceof PyFloat) {
      const number = typeof item === 'number' ? item : item.value
      if (Number.isNaN(number)) return 'NaN'
      if (!Number.isFinite(number)) return number > 0 ? 'Infinity' : '-Infinity'
      return typeof item === 'number' && Number.isInteger(item) ? String(item) : floatRepr(number)
    }
    let open: string
    let close: string
    let parts: string[]
    if (Array.isArray(item)) {
      ;[open, close] = ['[', ']']
      parts = item.map((element) => write(element, level + 1))
    } else if (item instanceof LazyMapping || isDict(item)) {
      ;[open, close] = ['{', '}']
      const entries = mappingEntries(item)
      if (options.sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      parts = entries.map(([key, element]) => escapeString(key, ensureAscii) + keySeparator + write(element, level + 1))
    } else throw new TemplateFault(`Object of type ${typeName(item)} is not JSON serializable`)
    if (parts.length === 0) return open + close
    if (indent === undefined) return open + parts.join(itemSeparator) + close
    const inner = `\n${indent.repeat(level + 1)}`
    return `${open}${inner}${parts.join(itemSeparator + inner)}\n${indent.repeat(level)}${close}`
  }
  return write(value, 0)
}

class JsonError extends Error {}

/** Python's json.loads: numbers with a fraction or exponent are floats; NaN and Infinity are accepted. */
export function jsonLoads(text: string): unknown {
  let pos = 0
  const fail = (what: string): never => {
    const before = text.slice(0, pos)
    const line = before.split('\n').length
    const col = pos - before.lastIndexOf('\n')
    throw new JsonError(`${what}: line ${line} column ${col} (char ${pos})`)
  }
  const space = (): void => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos] ?? '')) pos++
  }
  const value = (): unknown => {
    space()
    const char = text[pos]
    if (char === '{') {
      pos++
      const out: Record<string, unknown> = {}
      space()
      if (text[pos] === '}') {
        pos++
        return out
      }
      for (;;) {
        space()
        if (text[pos] !== '"') fail('Expecting property name enclosed in double quotes')
        const key = string()
        space()
        if (text[pos] !== ':') fail("Expecting ':' delimiter")
        pos++
        setItem(out, key, value())
        space()
        if (text[pos] === ',') {
          pos++
          continue
        }
        if (text[pos] === '}') {
          pos++
          return out
        }
        fail("Expecting ',' delimiter")
      }
    }
    if (char === '[') {
      pos++
      const out: unknown[] = []
      space()
      if (text[pos] === ']') {
        pos++
        return out
      }
      for (;;) {
        out.push(value())
        space()
        if (text[pos] === ',') {
          pos++
          continue
        }
        if (text[pos] === ']') {
          pos++
          return out
        }
        fail("Expecting ',' delimiter")
      }
    }
    if (char === '"') return string()
    for (const [word, result] of [
      ['true', true],
      ['false', false],
      ['null', null],
      ['NaN', float(Number.NaN)],
      ['Infinity', Infinity],
      ['-Infinity', -Infinity],
    ] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length
        return result
      }
    }
    const number = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(pos))
    if (!number) return fail('Expecting value')
    pos += number[0].length
    return number[1] !== undefined || number[2] !== undefined ? float(Number(number[0])) : Number(number[0])
  }
  const string = (): string => {
    const match = /^"((?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[\da-fA-F]{4}))*)"/.exec(text.slice(pos))
    if (!match) return fail('Invalid string')
    pos += match[0].length
    return (match[1] ?? '').replace(/\\(?:u([\da-fA-F]{4})|(.))/g, (_, hex?: string, escape?: string) => {
      if (hex) return String.fromCharCode(Number.parseInt(hex, 16))
      return {'"': '"', '/': '/', '\\': '\\', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t'}[escape ?? ''] ?? ''
    })
  }
  try {
    const result = value()
    space()
    if (pos < text.length) fail('Extra data')
    return result
  } catch (error) {
    if (error instanceof JsonError) throw new TemplateFault(error.message)
    throw error
  }
}
