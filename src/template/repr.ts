import {Undefined} from './undefined.js'
import {
  LazyMapping,
  Namespace,
  PyCallable,
  PyFloat,
  failUndefined,
  isDict,
  isTuple,
  mappingEntries,
  type Dict,
} from './values.js'

/** Python's repr(float): the shortest digits that round-trip, in exponent form below 1e-4 and from 1e16. */
export function floatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan'
  if (value === Infinity) return 'inf'
  if (value === -Infinity) return '-inf'
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0'
  const sign = value < 0 ? '-' : ''
  const [mantissa = '', exponentText = '0'] = Math.abs(value).toExponential().split('e')
  const digits = mantissa.replace('.', '')
  const exponent = Number(exponentText)
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : ''
    const power = String(Math.abs(exponent)).padStart(2, '0')
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? '-' : '+'}${power}`
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0')
  return `${sign}${whole}.${digits.slice(exponent + 1) || '0'}`
}

function intRepr(value: number): string {
  return Math.abs(value) < 1e21 ? String(value) : BigInt(value).toString()
}

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u
const ESCAPES: Record<string, string> = {'\t': '\\t', '\n': '\\n', '\r': '\\r', '\\': '\\\\'}

/** Python's repr(str). */
function stringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'"
  let out = quote
  for (const char of text) {
    if (char === quote) out += `\\${char}`
    else if (ESCAPES[char]) out += ESCAPES[char]
    else if (char !== ' ' && NOT_PRINTABLE.test(char)) {
      const code = char.codePointAt(0) ?? 0
      out +=
        code < 0x100
          ? `\\x${code.toString(16).padStart(2, '0')}`
          : code < 0x10000
            ? `\\u${code.toString(16).padStart(4, '0')}`
            : `\\U${code.toString(16).padStart(8, '0')}`
    } else out += char
  }
  return out + quote
}

function dictRepr(entries: [string, unknown][]): string {
  return `{${entries.map(([key, item]) => `${stringRepr(key)}: ${pyRepr(item)}`).join(', ')}}`
}

/** Python's repr(x). */
export function pyRepr(value: unknown): string {
  return typeof value === 'string' ? stringRepr(value) : pyStr(value)
}

/** Python's str(x): how a value prints in a template. */
export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value
  if (value === null || value === undefined) return 'None'
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  if (typeof value === 'number') return Number.isInteger(value) ? intRepr(value) : floatRepr(value)
  if (value instanceof PyFloat) return floatRepr(value.value)
  if (value instanceof Undefined) return value.lenient ? '' : failUndefined(value)
  if (Array.isArray(value)) {
    const items = value.map(pyRepr)
    if (!isTuple(value)) return `[${items.join(', ')}]`
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`
  }
  if (value instanceof LazyMapping) return dictRepr(mappingEntries(value))
  if (value instanceof PyCallable) return `<built-in method ${value.name}>`
  if (value instanceof Namespace) return `<Namespace ${dictRepr([...value.attributes])}>`
  if (isDict(value)) return dictRepr(Object.entries(value as Dict))
  return String(value)
}
