import {TemplateFault} from './fault.js'
import {Undefined} from './undefined.js'

/**
 * A Python float whose value is integral (`10 / 5` is `2.0`): a plain JS number that is integral stands for an int.
 * Floats that are not integral stay plain numbers.
 */
export class PyFloat {
  readonly value: number

  constructor(value: number) {
    this.value = value
  }

  /** JSON.stringify (in custom filters such as `hcl`) writes the number. */
  toJSON(): number {
    return this.value
  }
}

/** A callable value: a bound Python method (`'a,b'.split`), a global (`range`) or `loop.cycle`. */
export class PyCallable {
  readonly name: string
  readonly invoke: (args: unknown[], kwargs: Record<string, unknown>) => unknown

  constructor(name: string, invoke: (args: unknown[], kwargs: Record<string, unknown>) => unknown) {
    this.name = name
    this.invoke = invoke
  }
}

/**
 * A mapping whose values are computed when read (Ansible's `hostvars` and `hostvars[host]`). Filters and operators
 * treat it as a dict; `entries()` computes every value.
 */
export abstract class LazyMapping {
  /** Python's type(x).__name__ and the module of that type, for type_debug and error messages. */
  abstract readonly typeName: string
  abstract readonly typeModule: string
  abstract has(key: string): boolean
  /** The value, or undefined (JS) when the key is absent. */
  abstract get(key: string): unknown
  abstract keys(): string[]

  entries(): [string, unknown][] {
    return this.keys().map((key) => [key, this.get(key)])
  }

  /** JSON.stringify (in custom filters such as `hcl`) writes the mapping as an object. */
  toJSON(): Record<string, unknown> {
    return Object.fromEntries(this.entries())
  }
}

export type Dict = Record<string, unknown>

/** Jinja2's namespace(): attributes a template may set from inside a loop (`{% set ns.total = … %}`). */
export class Namespace {
  readonly attributes = new Map<string, unknown>()
}

const tuples = new WeakSet<readonly unknown[]>()
const owned = new WeakSet<object>()

/** A list or dict a template wrote as a literal: the only values a template may change (`x.append(…)`). */
export function templateOwned<T extends object>(value: T): T {
  owned.add(value)
  return value
}

export function isTemplateOwned(value: unknown): boolean {
  return typeof value === 'object' && value !== null && owned.has(value)
}

/** A Python tuple: an array that prints as `(a, b)` and is never equal to a list. */
export function tuple<T>(items: T[]): T[] {
  tuples.add(items)
  return items
}

export function isTuple(value: unknown): boolean {
  return Array.isArray(value) && tuples.has(value)
}

export function isDict(value: unknown): value is Dict {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const prototype = Object.getPrototypeOf(value) as unknown
  return prototype === Object.prototype || prototype === null
}

/** A dict or a lazy mapping: what Python's `isinstance(x, Mapping)` accepts. */
export function isMapping(value: unknown): value is Dict | LazyMapping {
  return isDict(value) || value instanceof LazyMapping
}

export function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value)
}

export function isFloat(value: unknown): boolean {
  return value instanceof PyFloat || (typeof value === 'number' && !Number.isInteger(value))
}

/** int, float or bool (Python's bool is an int). */
export function isNumeric(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'boolean' || value instanceof PyFloat
}

/** A float result: wrapped when integral so that it still prints as a float. */
export function float(value: number): number | PyFloat {
  return Number.isInteger(value) ? new PyFloat(value) : value
}

/** The number behind an int, float or bool. */
export function numberOf(value: unknown): number {
  if (typeof value === 'number') return value
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value instanceof PyFloat) return value.value
  throw new TemplateFault(`expected a number, got ${typeName(value)}`)
}

/** dict[key] = value, for any key (`__proto__` too: it is an ordinary key in Python). */
export function setItem(dict: Dict, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(dict, key, {configurable: true, enumerable: true, value, writable: true})
  else dict[key] = value
}

export function mappingEntries(value: Dict | LazyMapping): [string, unknown][] {
  return value instanceof LazyMapping ? value.entries() : Object.entries(value)
}

export function mappingKeys(value: Dict | LazyMapping): string[] {
  return value instanceof LazyMapping ? value.keys() : Object.keys(value)
}

export function mappingHas(value: Dict | LazyMapping, key: string): boolean {
  return value instanceof LazyMapping ? value.has(key) : Object.hasOwn(value, key)
}

/** A mapping's value for a key, or JS undefined when it has none. */
export function mappingGet(value: Dict | LazyMapping, key: string): unknown {
  if (value instanceof LazyMapping) return value.get(key)
  return Object.hasOwn(value, key) ? value[key] : undefined
}

/** Python's `type(x).__name__`, as type_debug and error messages show it. */
export function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType'
  if (typeof value === 'boolean') return 'bool'
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float'
  if (typeof value === 'string') return 'str'
  if (value instanceof PyFloat) return 'float'
  if (Array.isArray(value)) return isTuple(value) ? 'tuple' : 'list'
  if (value instanceof Undefined) return 'AnsibleUndefined'
  if (value instanceof LazyMapping) return value.typeName
  if (value instanceof PyCallable) return 'builtin_function_or_method'
  if (isDict(value)) return 'dict'
  return 'object'
}

/** Jinja2's object_type_repr: how "'dict object' has no attribute 'x'" names the object. */
export function objectTypeRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None'
  if (value instanceof LazyMapping && value.typeModule !== 'builtins')
    return `${value.typeModule}.${value.typeName} object`
  return `${typeName(value)} object`
}

/** Throws the error an Undefined raises when it is used (StrictUndefined). */
export function failUndefined(value: Undefined): never {
  throw TemplateFault.undefined(value)
}

export function checkDefined<T>(value: T): Exclude<T, Undefined> {
  if (value instanceof Undefined) failUndefined(value)
  return value as Exclude<T, Undefined>
}

/** Python's bool(x). */
export function truthy(value: unknown): boolean {
  if (value instanceof Undefined) return value.lenient ? false : failUndefined(value)
  if (value === null || value === undefined) return false
  if (typeof value === 'boolean') return value
  if (typeof value === 'number') return value !== 0
  if (value instanceof PyFloat) return value.value !== 0
  if (typeof value === 'string') return value.length > 0
  if (Array.isArray(value)) return value.length > 0
  if (value instanceof LazyMapping) return value.keys().length > 0
  if (isDict(value)) return Object.keys(value).length > 0
  return true
}

function hasSurrogates(text: string): boolean {
  return /[\uD800-\uDFFF]/.test(text)
}

/** A string's characters as Python counts them (code points). */
export function codePoints(text: string): string[] {
  return hasSurrogates(text) ? Array.from(text) : text.split('')
}

export function stringLength(text: string): number {
  return hasSurrogates(text) ? Array.from(text).length : text.length
}

/** Python's len(x). */
export function pyLen(value: unknown): number {
  if (value instanceof Undefined) return value.lenient ? 0 : failUndefined(value)
  if (typeof value === 'string') return stringLength(value)
  if (Array.isArray(value)) return value.length
  if (isMapping(value)) return mappingKeys(value).length
  throw new TemplateFault(`object of type '${typeName(value)}' has no len()`)
}

/** Python's iter(x) as a list: a string's characters, a mapping's keys, a list's items. */
export function iterate(value: unknown): unknown[] {
  if (value instanceof Undefined) return value.lenient ? [] : failUndefined(value)
  if (Array.isArray(value)) return value
  if (typeof value === 'string') return codePoints(value)
  if (isMapping(value)) return mappingKeys(value)
  throw new TemplateFault(`'${typeName(value)}' object is not iterable`)
}
