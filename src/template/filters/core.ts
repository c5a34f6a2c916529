import {getItem} from '../access.js'
import {roundHalfEven} from '../decimal.js'
import type {Filter} from '../environment.js'
import {TemplateFault} from '../fault.js'
import {pythonAttribute} from '../methods.js'
import {strip} from '../pystring.js'
import {pyStr} from '../repr.js'
import {Undefined} from '../undefined.js'
import {
  PyFloat,
  checkDefined,
  float,
  isFloat,
  isMapping,
  isNumeric,
  iterate,
  mappingEntries,
  numberOf,
  objectTypeRepr,
  pyLen,
  truthy,
  tuple,
  typeName,
} from '../values.js'
import {define, integer, text} from './define.js'

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz'

/** Python's int(text, base), or undefined where it raises ValueError. */
function parseInt(source: string, base: number): number | undefined {
  let body = strip(source, null, 'both').toLowerCase()
  let sign = 1
  if (body.startsWith('-') || body.startsWith('+')) {
    sign = body.startsWith('-') ? -1 : 1
    body = body.slice(1)
  }
  let radix = base
  const prefix = /^0([xob])/.exec(body)?.[1]
  const prefixBase = prefix === 'x' ? 16 : prefix === 'o' ? 8 : prefix === 'b' ? 2 : undefined
  if (prefixBase && (base === 0 || base === prefixBase)) {
    radix = prefixBase
    body = body.slice(2).replace(/^_/, '')
  } else if (base === 0) {
    if (/^0+(_?0)*$/.test(body)) return 0
    if (body.startsWith('0')) return undefined
    radix = 10
  }
  if (!body || !/^[\da-z]+(_[\da-z]+)*$/.test(body)) return undefined
  let value = 0
  for (const char of body.replaceAll('_', '')) {
    const digit = DIGITS.indexOf(char)
    if (digit < 0 || digit >= radix) return undefined
    value = value * radix + digit
  }
  return sign * value
}

/** Python's float(text), or undefined where it raises ValueError. */
export function parseFloat(source: string): number | undefined {
  const body = strip(source, null, 'both')
  const special = /^([-+]?)(inf|infinity|nan)$/i.exec(body)
  if (special) return (special[2]?.toLowerCase() === 'nan' ? Number.NaN : Infinity) * (special[1] === '-' ? -1 : 1)
  if (!/^[-+]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:e[-+]?\d(?:_?\d)*)?$/i.test(body)) return undefined
  return Number(body.replaceAll('_', ''))
}

/** Python's int(x) for a non-string, or undefined where it raises TypeError or ValueError. */
function intOf(value: unknown): number | undefined {
  if (!isNumeric(value)) return undefined
  const number = numberOf(value)
  if (Number.isNaN(number)) return undefined
  if (!Number.isFinite(number)) throw new TemplateFault('cannot convert float infinity to integer')
  return Math.trunc(number) + 0
}

function toInt(value: unknown, fallback: unknown, base: unknown): unknown {
  checkDefined(value)
  const radix = base === undefined ? 10 : integer(base, 'base')
  if (typeof value === 'string') {
    const parsed = parseInt(value, radix)
    if (parsed !== undefined) return parsed
    const asFloat = parseFloat(value)
    if (asFloat !== undefined) {
      if (!Number.isFinite(asFloat) && !Number.isNaN(asFloat)) {
        throw new TemplateFault('cannot convert float infinity to integer')
      }
      if (!Number.isNaN(asFloat)) return Math.trunc(asFloat) + 0
    }
    return fallback ?? 0
  }
  return intOf(value) ?? fallback ?? 0
}

function toFloat(value: unknown, fallback: unknown): unknown {
  checkDefined(value)
  if (typeof value === 'string') {
    const parsed = parseFloat(value)
    return parsed === undefined ? (fallback ?? new PyFloat(0)) : float(parsed)
  }
  return isNumeric(value) ? float(numberOf(value)) : (fallback ?? new PyFloat(0))
}

/** Ansible's `bool` filter. */
function toBool(value: unknown): unknown {
  checkDefined(value)
  if (value === null || typeof value === 'boolean') return value
  const candidate = typeof value === 'string' ? value.toLowerCase() : value
  if (typeof candidate === 'string') return ['yes', 'on', '1', 'true'].includes(candidate)
  return isNumeric(candidate) && numberOf(candidate) === 1
}

function round(value: unknown, precision: unknown, method: unknown): unknown {
  checkDefined(value)
  const places = precision === undefined ? 0 : integer(precision, 'precision')
  const how = method ?? 'common'
  if (how !== 'common' && how !== 'ceil' && how !== 'floor') {
    throw new TemplateFault('method must be common, ceil or floor')
  }
  if (!isNumeric(value)) throw new TemplateFault(`type ${typeName(value)} doesn't define __round__ method`)
  const number = numberOf(value)
  if (how === 'common') {
    if (isFloat(value)) return float(roundHalfEven(number, places))
    return places >= 0 ? number : roundHalfEven(number, places)
  }
  const scale = 10 ** places
  return float((how === 'ceil' ? Math.ceil(number * scale) : Math.floor(number * scale)) / scale)
}

function mandatory(value: unknown, message: unknown): unknown {
  if (!(value instanceof Undefined)) return value
  throw new TemplateFault(message == null ? `Mandatory variable '${value.name}' not defined.` : pyStr(message))
}

/** Filters that look at an undefined input themselves; every other filter fails on one, as in Jinja2. */
export const UNDEFINED_AWARE = new WeakSet<Filter>()

function aware(filter: Filter): Filter {
  UNDEFINED_AWARE.add(filter)
  return filter
}

export const CORE_FILTERS: Record<string, Filter> = {
  abs: define([], 0, (value) => {
    checkDefined(value)
    if (!isNumeric(value)) throw new TemplateFault(`bad operand type for abs(): '${typeName(value)}'`)
    return isFloat(value) ? float(Math.abs(numberOf(value))) : Math.abs(numberOf(value))
  }),
  attr: define(['name'], 1, (value, name) => {
    const attribute = pythonAttribute(value, text(name, 'name'))
    return (
      attribute ?? new Undefined(String(name), {hint: `'${objectTypeRepr(value)}' has no attribute '${String(name)}'`})
    )
  }),
  bool: define([], 0, toBool),
  count: define([], 0, pyLen),
  d: aware(define(['default_value', 'boolean'], 0, defaultValue)),
  default: aware(define(['default_value', 'boolean'], 0, defaultValue)),
  float: define(['default'], 0, toFloat),
  int: define(['default', 'base'], 0, toInt),
  items: aware(
    define([], 0, (value) => {
      if (value instanceof Undefined) return []
      if (!isMapping(value)) throw new TemplateFault('Can only get item pairs from a mapping.')
      return mappingEntries(value).map(([key, item]) => tuple([key, item]))
    }),
  ),
  length: define([], 0, pyLen),
  list: define([], 0, (value) => [...iterate(value)]),
  mandatory: aware(define(['msg'], 0, mandatory)),
  round: define(['precision', 'method'], 0, round),
  string: define([], 0, (value) => pyStr(value)),
  ternary: define(['true_val', 'false_val', 'none_val'], 2, (value, yes, no, none) => {
    if (value === null && none != null) return none
    return truthy(value) ? yes : no
  }),
  type_debug: aware(define([], 0, (value) => typeName(value))),
}

function defaultValue(value: unknown, fallback: unknown, boolean: unknown): unknown {
  if (value instanceof Undefined || (boolean !== undefined && truthy(boolean) && !truthy(value))) {
    return fallback === undefined ? '' : fallback
  }
  return value
}

/** `x[key]` for each key in turn, as Jinja2 looks up `attribute='a.b.0'` paths (digits are list indexes). */
export function lookupPath(value: unknown, path: unknown): unknown {
  if (path === null || path === undefined) return value
  const parts =
    typeof path === 'string' ? path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)) : [path]
  let item = value
  for (const part of parts) item = getItem(item, part)
  return item
}
