import {pyEquals} from './compare.js'
import {TemplateFault} from './fault.js'
import {strFormat} from './format.js'
import {
  capitalize,
  center,
  countOf,
  find,
  isSpace,
  pyTitle,
  replace,
  rsplit,
  split,
  splitlines,
  strip,
} from './pystring.js'
import {pyStr} from './repr.js'
import {bindArguments} from './signature.js'
import {
  LazyMapping,
  PyCallable,
  checkDefined,
  codePoints,
  isMapping,
  iterate,
  mappingEntries,
  mappingGet,
  mappingHas,
  mappingKeys,
  numberOf,
  stringLength,
  tuple,
  typeName,
  type Dict,
} from './values.js'

type Method<T> = (self: T, args: unknown[], kwargs: Record<string, unknown>) => unknown

function text(value: unknown, what: string): string {
  checkDefined(value)
  if (typeof value !== 'string') throw new TemplateFault(`${what} must be str, not ${typeName(value)}`)
  return value
}

function optionalText(value: unknown, what: string): string | null | undefined {
  return value === undefined || value === null ? value : text(value, what)
}

function integer(value: unknown, fallback: number): number {
  return value === undefined || value === null ? fallback : numberOf(checkDefined(value))
}

function prefixes(value: unknown, method: string): string[] {
  if (Array.isArray(value)) return value.map((item) => text(item, `tuple for ${method}`))
  return [text(value, `${method} first arg`)]
}

function sliceOf(self: string, start: unknown, end: unknown): string {
  if (start === undefined && end === undefined) return self
  const chars = codePoints(self)
  const clamp = (value: unknown, fallback: number): number => {
    const index = integer(value, fallback)
    return index < 0 ? Math.max(0, chars.length + index) : Math.min(index, chars.length)
  }
  return chars.slice(clamp(start, 0), clamp(end, chars.length)).join('')
}

function ljust(self: string, width: number, fill: string, right: boolean): string {
  const missing = width - stringLength(self)
  if (missing <= 0) return self
  return right ? fill.repeat(missing) + self : self + fill.repeat(missing)
}

function method<T>(
  name: string,
  parameters: string[],
  required: number,
  body: (self: T, ...args: unknown[]) => unknown,
): Method<T> {
  return (self, args, kwargs) => body(self, ...bindArguments(name, parameters, required, args, kwargs))
}

function methodTable<T>(methods: Record<string, Method<T>>): ReadonlyMap<string, Method<T>> {
  return new Map(Object.entries(methods))
}

const STRING_METHODS = methodTable<string>({
  capitalize: method('capitalize', [], 0, (self) => capitalize(self)),
  casefold: method('casefold', [], 0, (self) => self.toLowerCase()),
  center: method('center', ['width', 'fillchar'], 1, (self, width, fill) =>
    center(self, integer(width, 0), optionalText(fill, 'fillchar') ?? ' '),
  ),
  count: method('count', ['sub', 'start', 'end'], 1, (self, sub, start, end) =>
    countOf(sliceOf(self, start, end), text(sub, 'substring')),
  ),
  endswith: method('endswith', ['suffix', 'start', 'end'], 1, (self, suffix, start, end) =>
    prefixes(suffix, 'endswith').some((item) => sliceOf(self, start, end).endsWith(item)),
  ),
  find: method('find', ['sub'], 1, (self, sub) => find(self, text(sub, 'substring'), false)),
  format: (self, args, kwargs) => strFormat(self, args, kwargs),
  index: method('index', ['sub'], 1, (self, sub) => {
    const found = find(self, text(sub, 'substring'), false)
    if (found === -1) throw new TemplateFault('substring not found')
    return found
  }),
  isalnum: method('isalnum', [], 0, (self) => /^[\p{L}\p{N}]+$/u.test(self)),
  isalpha: method('isalpha', [], 0, (self) => /^\p{L}+$/u.test(self)),
  isdigit: method('isdigit', [], 0, (self) => /^\p{Nd}+$/u.test(self)),
  islower: method('islower', [], 0, (self) => /\p{Ll}/u.test(self) && !/[\p{Lu}\p{Lt}]/u.test(self)),
  isnumeric: method('isnumeric', [], 0, (self) => /^\p{N}+$/u.test(self)),
  isspace: method('isspace', [], 0, (self) => isSpace(self)),
  isupper: method('isupper', [], 0, (self) => /\p{Lu}/u.test(self) && !/[\p{Ll}\p{Lt}]/u.test(self)),
  join: method('join', ['iterable'], 1, (self, items) =>
    iterate(items)
      .map((item, index) => {
        checkDefined(item)
        if (typeof item !== 'string') {
          throw new TemplateFault(`sequence item ${index}: expected str instance, ${typeName(item)} found`)
        }
        return item
      })
      .join(self),
  ),
  ljust: method('ljust', ['width', 'fillchar'], 1, (self, width, fill) =>
    ljust(self, integer(width, 0), optionalText(fill, 'fillchar') ?? ' ', false),
  ),
  lower: method('lower', [], 0, (self) => self.toLowerCase()),
  lstrip: method('lstrip', ['chars'], 0, (self, chars) => strip(self, optionalText(chars, 'chars'), 'left')),
  partition: method('partition', ['sep'], 1, (self, separator) => {
    const sep = text(separator, 'sep')
    const index = self.indexOf(sep)
    return index === -1 ? tuple([self, '', '']) : tuple([self.slice(0, index), sep, self.slice(index + sep.length)])
  }),
  removeprefix: method('removeprefix', ['prefix'], 1, (self, prefix) => {
    const value = text(prefix, 'prefix')
    return value && self.startsWith(value) ? self.slice(value.length) : self
  }),
  removesuffix: method('removesuffix', ['suffix'], 1, (self, suffix) => {
    const value = text(suffix, 'suffix')
    return value && self.endsWith(value) ? self.slice(0, -value.length) : self
  }),
  replace: method('replace', ['old', 'new', 'count'], 2, (self, old, replacement, count) =>
    replace(self, text(old, 'old'), text(replacement, 'new'), integer(count, -1)),
  ),
  rfind: method('rfind', ['sub'], 1, (self, sub) => find(self, text(sub, 'substring'), true)),
  rindex: method('rindex', ['sub'], 1, (self, sub) => {
    const found = find(self, text(sub, 'substring'), true)
    if (found === -1) throw new TemplateFault('substring not found')
    return found
  }),
  rjust: method('rjust', ['width', 'fillchar'], 1, (self, width, fill) =>
    ljust(self, integer(width, 0), optionalText(fill, 'fillchar') ?? ' ', true),
  ),
  rpartition: method('rpartition', ['sep'], 1, (self, separator) => {
    const sep = text(separator, 'sep')
    const index = self.lastIndexOf(sep)
    return index === -1 ? tuple(['', '', self]) : tuple([self.slice(0, index), sep, self.slice(index + sep.length)])
  }),
  rsplit: method('rsplit', ['sep', 'maxsplit'], 0, (self, sep, maxsplit) =>
    rsplit(self, optionalText(sep, 'sep'), integer(maxsplit, -1)),
  ),
  rstrip: method('rstrip', ['chars'], 0, (self, chars) => strip(self, optionalText(chars, 'chars'), 'right')),
  split: method('split', ['sep', 'maxsplit'], 0, (self, sep, maxsplit) =>
    split(self, optionalText(sep, 'sep'), integer(maxsplit, -1)),
  ),
  splitlines: method('splitlines', ['keepends'], 0, (self, keepends) => splitlines(self, Boolean(keepends))),
  startswith: method('startswith', ['prefix', 'start', 'end'], 1, (self, prefix, start, end) =>
    prefixes(prefix, 'startswith').some((item) => sliceOf(self, start, end).startsWith(item)),
  ),
  strip: method('strip', ['chars'], 0, (self, chars) => strip(self, optionalText(chars, 'chars'), 'both')),
  swapcase: method('swapcase', [], 0, (self) =>
    codePoints(self)
      .map((char) => (char === char.toUpperCase() ? char.toLowerCase() : char.toUpperCase()))
      .join(''),
  ),
  title: method('title', [], 0, (self) => pyTitle(self)),
  upper: method('upper', [], 0, (self) => self.toUpperCase()),
  zfill: method('zfill', ['width'], 1, (self, width) => {
    const sign = /^[-+]/.test(self) ? (self[0] ?? '') : ''
    return sign + ljust(self.slice(sign.length), integer(width, 0) - sign.length, '0', true)
  }),
})

type MappingValue = Dict | LazyMapping

const MAPPING_METHODS = methodTable<MappingValue>({
  copy: method('copy', [], 0, (self) => Object.fromEntries(mappingEntries(self))),
  get: method('get', ['key', 'default'], 1, (self, key, fallback) => {
    checkDefined(key)
    const name = typeof key === 'string' ? key : pyStr(key)
    return mappingHas(self, name) ? mappingGet(self, name) : (fallback ?? null)
  }),
  items: method('items', [], 0, (self) => mappingEntries(self).map(([key, value]) => tuple([key, value]))),
  keys: method('keys', [], 0, (self) => mappingKeys(self)),
  values: method('values', [], 0, (self) => mappingEntries(self).map(([, value]) => value)),
})

const LIST_METHODS = methodTable<unknown[]>({
  copy: method('copy', [], 0, (self) => [...self]),
  count: method('count', ['value'], 1, (self, value) => self.filter((item) => pyEquals(item, value)).length),
  index: method('index', ['value'], 1, (self, value) => {
    const found = self.findIndex((item) => pyEquals(item, value))
    if (found === -1) throw new TemplateFault(`${pyStr(value)} is not in list`)
    return found
  }),
})

const MUTATING = {
  dict: ['clear', 'fromkeys', 'pop', 'popitem', 'setdefault', 'update'],
  list: ['append', 'clear', 'extend', 'insert', 'pop', 'remove', 'reverse', 'sort'],
}

function unsupported(owner: string, name: string): PyCallable {
  return new PyCallable(`${owner}.${name}`, () => {
    throw new TemplateFault(`${owner}.${name}() changes its ${owner} and is not supported in goldentooth's templates`)
  })
}

/**
 * A Python attribute of a value (a bound method of a str, dict or list), or undefined (JS) when Python's getattr
 * would raise AttributeError.
 */
export function pythonAttribute(value: unknown, name: string): PyCallable | undefined {
  if (typeof value === 'string') {
    const body = STRING_METHODS.get(name)
    return body && new PyCallable(`str.${name}`, (args, kwargs) => body(value, args, kwargs))
  }
  if (Array.isArray(value)) {
    const body = LIST_METHODS.get(name)
    if (body) return new PyCallable(`list.${name}`, (args, kwargs) => body(value, args, kwargs))
    return MUTATING.list.includes(name) ? unsupported('list', name) : undefined
  }
  if (isMapping(value)) {
    const body = MAPPING_METHODS.get(name)
    if (body) return new PyCallable(`dict.${name}`, (args, kwargs) => body(value, args, kwargs))
    return MUTATING.dict.includes(name) ? unsupported('dict', name) : undefined
  }
  return undefined
}
