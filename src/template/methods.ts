import {dictKey, pyEquals, pyOrder} from './compare.js'
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
import {pyRepr, pyStr} from './repr.js'
import {bindArguments} from './signature.js'
import {
  LazyMapping,
  PyCallable,
  checkDefined,
  codePoints,
  isDict,
  isTemplateOwned,
  isMapping,
  iterate,
  mappingEntries,
  mappingGet,
  mappingHas,
  mappingKeys,
  numberOf,
  setItem,
  stringLength,
  truthy,
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

const LIST_MUTATORS = methodTable<unknown[]>({
  append: method('append', ['object'], 1, (self, item) => {
    self.push(item)
    return null
  }),
  clear: method('clear', [], 0, (self) => {
    self.length = 0
    return null
  }),
  extend: method('extend', ['iterable'], 1, (self, items) => {
    self.push(...iterate(items))
    return null
  }),
  insert: method('insert', ['index', 'object'], 2, (self, index, item) => {
    const at = integer(index, 0)
    self.splice(at < 0 ? Math.max(0, self.length + at) : Math.min(at, self.length), 0, item)
    return null
  }),
  pop: method('pop', ['index'], 0, (self, index) => {
    if (self.length === 0) throw new TemplateFault('pop from empty list')
    const at = integer(index, -1)
    const position = at < 0 ? self.length + at : at
    if (position < 0 || position >= self.length) throw new TemplateFault('pop index out of range')
    return self.splice(position, 1)[0]
  }),
  remove: method('remove', ['value'], 1, (self, value) => {
    const found = self.findIndex((item) => pyEquals(item, value))
    if (found === -1) throw new TemplateFault('list.remove(x): x not in list')
    self.splice(found, 1)
    return null
  }),
  reverse: method('reverse', [], 0, (self) => {
    self.reverse()
    return null
  }),
  sort: method('sort', ['reverse'], 0, (self, reverse) => {
    const direction = reverse !== undefined && truthy(reverse) ? -1 : 1
    self.sort((a, b) => direction * pyOrder(a, b))
    return null
  }),
})

const DICT_MUTATORS = methodTable<Dict>({
  clear: method('clear', [], 0, (self) => {
    for (const key of Object.keys(self)) delete self[key]
    return null
  }),
  pop: method('pop', ['key', 'default'], 1, (self, key, fallback) => {
    const name = dictKey(key)
    if (!Object.hasOwn(self, name)) {
      if (fallback === undefined) throw new TemplateFault(`KeyError: ${pyRepr(key)}`)
      return fallback
    }
    const value = self[name]
    delete self[name]
    return value
  }),
  setdefault: method('setdefault', ['key', 'default'], 1, (self, key, fallback) => {
    const name = dictKey(key)
    if (!Object.hasOwn(self, name)) setItem(self, name, fallback ?? null)
    return self[name]
  }),
  update: (self, args, kwargs) => {
    if (args.length > 1) throw new TemplateFault(`update expected at most 1 argument, got ${args.length}`)
    const [other] = args
    if (other !== undefined) {
      if (isMapping(other)) for (const [key, value] of mappingEntries(other)) setItem(self, key, value)
      else
        for (const pair of iterate(other)) {
          const [key, value, ...rest] = iterate(pair)
          if (rest.length || value === undefined)
            throw new TemplateFault('dictionary update sequence element has the wrong length; 2 is required')
          setItem(self, dictKey(key), value)
        }
    }
    for (const [key, value] of Object.entries(kwargs)) setItem(self, key, value)
    return null
  },
})

/** Other methods Python has that goldentooth does not provide. */
const MISSING = new Set(['dict.fromkeys', 'dict.popitem'])

function readOnly(owner: string, name: string): PyCallable {
  return new PyCallable(`${owner}.${name}`, () => {
    throw new TemplateFault(
      `${owner}.${name}() would change a ${owner} the template did not create; goldentooth's templates only change lists and dicts they create`,
    )
  })
}

function mutator<T>(
  owner: string,
  name: string,
  value: T,
  table: ReadonlyMap<string, Method<T>>,
): PyCallable | undefined {
  const body = table.get(name)
  if (!body) return MISSING.has(`${owner}.${name}`) ? readOnly(owner, name) : undefined
  if (!isTemplateOwned(value)) return readOnly(owner, name)
  return new PyCallable(`${owner}.${name}`, (args, kwargs) => body(value, args, kwargs))
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
    return mutator('list', name, value, LIST_MUTATORS)
  }
  if (isMapping(value)) {
    const body = MAPPING_METHODS.get(name)
    if (body) return new PyCallable(`dict.${name}`, (args, kwargs) => body(value, args, kwargs))
    return isDict(value) ? mutator('dict', name, value, DICT_MUTATORS) : undefined
  }
  return undefined
}
