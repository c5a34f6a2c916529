import {TemplateFault} from './fault.js'
import {Undefined} from './undefined.js'
import {
  PyFloat,
  failUndefined,
  isMapping,
  isNumeric,
  isTuple,
  mappingGet,
  mappingHas,
  mappingKeys,
  numberOf,
  typeName,
} from './values.js'

/** Python's `a == b`: numbers across int/float/bool, lists and dicts deeply, a list never equal to a tuple. */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (a instanceof Undefined && a.lenient) return b instanceof Undefined && b.lenient
  if (b instanceof Undefined && b.lenient) return false
  if (a instanceof Undefined) failUndefined(a)
  if (b instanceof Undefined) failUndefined(b)
  if (a === b) return true
  if (isNumeric(a) && isNumeric(b)) return numberOf(a) === numberOf(b)
  if (Array.isArray(a) && Array.isArray(b)) {
    if (isTuple(a) !== isTuple(b) || a.length !== b.length) return false
    return a.every((item, index) => item === b[index] || pyEquals(item, b[index]))
  }
  if (isMapping(a) && isMapping(b)) {
    const keys = mappingKeys(a)
    if (keys.length !== mappingKeys(b).length) return false
    return keys.every((key) => mappingHas(b, key) && pyEquals(mappingGet(a, key), mappingGet(b, key)))
  }
  return (a === null || a === undefined) && (b === null || b === undefined)
}

function compareStrings(a: string, b: string): number {
  if (!/[\uD800-\uDFFF]/.test(a + b)) return a < b ? -1 : a > b ? 1 : 0
  const left = Array.from(a, (char) => char.codePointAt(0) ?? 0)
  const right = Array.from(b, (char) => char.codePointAt(0) ?? 0)
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    if (left[i] !== right[i]) return (left[i] ?? 0) - (right[i] ?? 0)
  }
  return left.length - right.length
}

/**
 * Python's ordering of two values (negative, zero, positive), for `<` and sorting: numbers with numbers, strings with
 * strings, lists with lists element by element. Anything else is Python's TypeError.
 */
export function pyOrder(a: unknown, b: unknown, operator = '<'): number {
  if (a instanceof Undefined) failUndefined(a)
  if (b instanceof Undefined) failUndefined(b)
  if (isNumeric(a) && isNumeric(b)) {
    const x = numberOf(a)
    const y = numberOf(b)
    return x < y ? -1 : x > y ? 1 : 0
  }
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b)
  if (Array.isArray(a) && Array.isArray(b) && isTuple(a) === isTuple(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEquals(a[i], b[i])) return pyOrder(a[i], b[i], operator)
    }
    return a.length - b.length
  }
  throw new TemplateFault(`'${operator}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`)
}

export type ComparisonOperator = 'eq' | 'ne' | 'lt' | 'lteq' | 'gt' | 'gteq'

const SYMBOL: Record<ComparisonOperator, string> = {eq: '==', gt: '>', gteq: '>=', lt: '<', lteq: '<=', ne: '!='}

export function compare(operator: ComparisonOperator, a: unknown, b: unknown): boolean {
  switch (operator) {
    case 'eq':
      return pyEquals(a, b)
    case 'ne':
      return !pyEquals(a, b)
    case 'lt':
      return pyOrder(a, b, SYMBOL[operator]) < 0
    case 'lteq':
      return pyOrder(a, b, SYMBOL[operator]) <= 0
    case 'gt':
      return pyOrder(a, b, SYMBOL[operator]) > 0
    case 'gteq':
      return pyOrder(a, b, SYMBOL[operator]) >= 0
  }
}

/** A key that is equal for values Python's set() treats as one (1, 1.0 and True), or a TypeError for a list or dict. */
export function hashKey(value: unknown): string {
  if (value instanceof Undefined) failUndefined(value)
  if (value === null || value === undefined) return 'None'
  if (typeof value === 'string') return `s${value}`
  if (isNumeric(value)) return `n${numberOf(value)}`
  if (Array.isArray(value) && isTuple(value)) return `t${JSON.stringify(value.map(hashKey))}`
  throw new TemplateFault(`unhashable type: '${typeName(value)}'`)
}

/** Python's `item in container`. */
export function pyContains(container: unknown, item: unknown): boolean {
  if (container instanceof Undefined) failUndefined(container)
  if (typeof container === 'string') {
    if (item instanceof Undefined) failUndefined(item)
    if (typeof item !== 'string') {
      throw new TemplateFault(`'in <string>' requires string as left operand, not ${typeName(item)}`)
    }
    return container.includes(item)
  }
  if (Array.isArray(container)) return container.some((element) => element === item || pyEquals(element, item))
  if (isMapping(container)) {
    hashKey(item)
    return typeof item === 'string' && mappingHas(container, item)
  }
  throw new TemplateFault(`argument of type '${typeName(container)}' is not iterable`)
}

/** A value as a dict key: JS objects only have string keys, so numbers are written as Python prints them. */
export function dictKey(value: unknown): string {
  hashKey(value)
  if (typeof value === 'string') return value
  if (value instanceof PyFloat || typeof value === 'number') return String(numberOf(value))
  if (value === null || value === undefined) return 'None'
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  return JSON.stringify(value)
}
