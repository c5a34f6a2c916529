import {exponentDigits, fixedDigits, generalDigits} from './decimal.js'
import {TemplateFault} from './fault.js'
import {floatRepr, pyRepr, pyStr} from './repr.js'
import {Undefined} from './undefined.js'
import {
  failUndefined,
  isFloat,
  isMapping,
  isNumeric,
  isTuple,
  mappingGet,
  mappingHas,
  numberOf,
  typeName,
} from './values.js'

interface Spec {
  fill: string
  align: string
  sign: string
  alternate: boolean
  zero: boolean
  width: number
  grouping: string
  precision: number | undefined
  type: string
}

function pad(text: string, spec: Spec, numeric: boolean): string {
  const length = Array.from(text).length
  if (length >= spec.width) return text
  const padding = spec.width - length
  const align = spec.align || (numeric ? '>' : '<')
  if (align === '=' || (spec.zero && numeric && !spec.align)) {
    const signLength = /^[-+ ]/.test(text) ? 1 : 0
    const prefixLength = /^[-+ ]?0[xXob]/.test(text) && spec.alternate ? signLength + 2 : signLength
    const fill = spec.zero && !spec.align ? '0' : spec.fill
    return text.slice(0, prefixLength) + fill.repeat(padding) + text.slice(prefixLength)
  }
  if (align === '<') return text + spec.fill.repeat(padding)
  if (align === '^') {
    const left = Math.floor(padding / 2)
    return spec.fill.repeat(left) + text + spec.fill.repeat(padding - left)
  }
  return spec.fill.repeat(padding) + text
}

function group(digits: string, separator: string): string {
  if (!separator) return digits
  const [whole = '', fraction] = digits.split('.')
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, separator)
  return fraction === undefined ? grouped : `${grouped}.${fraction}`
}

function signed(negative: boolean, body: string, sign: string): string {
  return (negative ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '') + body
}

function formatNumber(value: unknown, spec: Spec, conversion: string): string {
  if (value instanceof Undefined) failUndefined(value)
  if (!isNumeric(value)) {
    throw new TemplateFault(`${conversion} format: a real number is required, not ${typeName(value)}`)
  }
  const number = numberOf(value)
  const type = spec.type
  if ('xXobc'.includes(type) && isFloat(value)) {
    throw new TemplateFault(`${conversion} format: an integer is required, not float`)
  }
  const negative = number < 0 || Object.is(number, -0)
  const magnitude = Math.abs(number)
  let body: string
  if (!Number.isFinite(magnitude)) body = Number.isNaN(magnitude) ? 'nan' : 'inf'
  else if ('diu'.includes(type)) body = group(BigInt(Math.trunc(magnitude)).toString(), spec.grouping)
  else if (type === 'x' || type === 'X' || type === 'o' || type === 'b') {
    const radix = type === 'o' ? 8 : type === 'b' ? 2 : 16
    const digits = BigInt(magnitude).toString(radix)
    body = (spec.alternate ? `0${type === 'X' ? 'X' : type}` : '') + (type === 'X' ? digits.toUpperCase() : digits)
  } else if (type === 'f' || type === 'F' || type === '%') {
    const scaled = type === '%' ? magnitude * 100 : magnitude
    body = group(fixedDigits(scaled, spec.precision ?? 6), spec.grouping) + (type === '%' ? '%' : '')
  } else if (type === 'e' || type === 'E') body = exponentDigits(magnitude, spec.precision ?? 6)
  else if (type === 'g' || type === 'G') body = generalDigits(magnitude, spec.precision ?? 6, spec.alternate)
  else body = isFloat(value) ? floatRepr(magnitude) : String(magnitude)
  if ('EFG'.includes(type)) body = body.toUpperCase()
  return pad(signed(negative, body, spec.sign), spec, true)
}

const PERCENT_SPEC = /%(?:\(([^)]*)\))?([-+ #0]*)(\d+|\*)?(?:\.(\d+|\*))?[hlL]?([diouxXeEfFgGcrsa%])?/g

/** Python's `format % args` (printf-style), as the `%` operator and the `format` filter use it. */
export function percentFormat(format: string, args: unknown): string {
  const positional = Array.isArray(args) && isTuple(args) ? args : [args]
  const mapping = isMapping(args) ? args : undefined
  let next = 0
  let usedMapping = false
  const out = format.replace(
    PERCENT_SPEC,
    (whole, key: string | undefined, flags: string, width?: string, precision?: string, type?: string) => {
      if (type === undefined) throw new TemplateFault('incomplete format')
      if (type === '%' && whole === '%%') return '%'
      if (width === '*' || precision === '*') throw new TemplateFault('* width and precision are not supported')
      let value: unknown
      if (key !== undefined) {
        if (!mapping) throw new TemplateFault('format requires a mapping')
        if (!mappingHas(mapping, key)) throw new TemplateFault(`KeyError: '${key}'`)
        value = mappingGet(mapping, key)
        usedMapping = true
      } else {
        if (next >= positional.length) throw new TemplateFault('not enough arguments for format string')
        value = positional[next++]
      }
      const spec: Spec = {
        align: flags.includes('-') ? '<' : '',
        alternate: flags.includes('#'),
        fill: ' ',
        grouping: '',
        precision: precision === undefined ? undefined : Number(precision),
        sign: flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '',
        type: type === 'u' || type === 'i' ? 'd' : type,
        width: width === undefined ? 0 : Number(width),
        zero: flags.includes('0') && !flags.includes('-'),
      }
      if (type === 's' || type === 'r' || type === 'a') {
        const text = type === 's' ? pyStr(value) : pyRepr(value)
        const cut = spec.precision === undefined ? text : Array.from(text).slice(0, spec.precision).join('')
        return pad(cut, {...spec, zero: false}, false)
      }
      if (type === 'c') {
        const char = typeof value === 'string' ? value : String.fromCodePoint(numberOf(value))
        return pad(char, {...spec, zero: false}, false)
      }
      return formatNumber(value, spec, `%${type}`)
    },
  )
  if (!usedMapping && !mapping && next < positional.length) {
    throw new TemplateFault('not all arguments converted during string formatting')
  }
  return out
}

const FORMAT_SPEC = /^(?:(.)?([<>=^]))?([-+ ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/su

function parseSpec(text: string): Spec {
  const match = FORMAT_SPEC.exec(text)
  if (!match) throw new TemplateFault(`Invalid format specifier '${text}'`)
  const [, fill, align, sign, alternate, zero, width, grouping, precision, type] = match
  return {
    align: align ?? '',
    alternate: alternate !== undefined,
    fill: fill ?? ' ',
    grouping: grouping ?? '',
    precision: precision === undefined ? undefined : Number(precision),
    sign: sign ?? '',
    type: type ?? '',
    width: width === undefined ? 0 : Number(width),
    zero: zero !== undefined,
  }
}

function applySpec(value: unknown, text: string): string {
  const spec = parseSpec(text)
  if (typeof value === 'string' || value === null || Array.isArray(value) || isMapping(value)) {
    if (spec.type && spec.type !== 's') {
      throw new TemplateFault(`Unknown format code '${spec.type}' for object of type '${typeName(value)}'`)
    }
    const shown = pyStr(value)
    const cut = spec.precision === undefined ? shown : Array.from(shown).slice(0, spec.precision).join('')
    return pad(cut, spec, false)
  }
  if (!spec.type && spec.precision !== undefined) spec.type = 'g'
  if (spec.type === 'n') spec.type = isFloat(value) ? 'g' : 'd'
  return formatNumber(value, spec, `'${spec.type || 's'}'`)
}

/** Python's `str.format(*args, **kwargs)`: `{}`, `{0}`, `{name}`, `{0[key]}`, `{0.attr}`, `!r`/`!s` and format specs. */
export function strFormat(format: string, args: unknown[], kwargs: Record<string, unknown>): string {
  let automatic = 0
  return format.replace(/\{\{|\}\}|\{([^{}]*)\}|[{}]/g, (whole, field: string | undefined) => {
    if (whole === '{{') return '{'
    if (whole === '}}') return '}'
    if (field === undefined) throw new TemplateFault(`Single '${whole}' encountered in format string`)
    const match = /^([^.[!:]*)((?:\.[^.[!:]+|\[[^\]]*\])*)(?:!([rsa]))?(?::(.*))?$/s.exec(field)
    if (!match) throw new TemplateFault(`invalid format field '{${field}}'`)
    const [, name = '', path = '', conversion, spec = ''] = match
    let value: unknown
    if (name === '') value = args[automatic++]
    else if (/^\d+$/.test(name)) value = args[Number(name)]
    else {
      if (!Object.hasOwn(kwargs, name)) throw new TemplateFault(`KeyError: '${name}'`)
      value = kwargs[name]
    }
    if (value === undefined) throw new TemplateFault('Replacement index out of range for positional args tuple')
    for (const [, attribute, key] of path.matchAll(/\.([^.[]+)|\[([^\]]*)\]/g)) {
      const part = attribute ?? (/^\d+$/.test(key ?? '') ? Number(key) : (key ?? ''))
      const container = value
      if (Array.isArray(container) && typeof part === 'number') value = container[part]
      else if (isMapping(container) && mappingHas(container, String(part))) value = mappingGet(container, String(part))
      else throw new TemplateFault(`KeyError: ${pyRepr(part)}`)
      if (value === undefined) throw new TemplateFault('IndexError: list index out of range')
    }
    if (value instanceof Undefined) failUndefined(value)
    if (conversion) value = conversion === 's' ? pyStr(value) : pyRepr(value)
    return applySpec(value, spec)
  })
}
