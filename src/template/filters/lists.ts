import {arithmetic} from '../arithmetic.js'
import {hashKey, pyContains, pyEquals, pyOrder} from '../compare.js'
import type {CallContext, Filter} from '../environment.js'
import {TemplateFault} from '../fault.js'
import {pyRepr} from '../repr.js'
import {Undefined} from '../undefined.js'
import {
  checkDefined,
  codePoints,
  isMapping,
  isTuple,
  iterate,
  mappingEntries,
  numberOf,
  truthy,
  tuple,
} from '../values.js'
import {lookupPath} from './core.js'
import {define, integer, text} from './define.js'

function ignoreCase(value: unknown): unknown {
  return typeof value === 'string' ? value.toLowerCase() : value
}

/** Jinja2's make_attrgetter: the item at a dotted path, lower-cased unless case-sensitive. */
function keyGetter(attribute: unknown, caseSensitive: boolean, fallback?: unknown): (item: unknown) => unknown {
  return (item) => {
    let value = lookupPath(item, attribute)
    if (fallback !== undefined && fallback !== null && value instanceof Undefined) value = fallback
    return caseSensitive ? value : ignoreCase(value)
  }
}

function isUnhashable(error: unknown): boolean {
  return error instanceof TemplateFault && !error.undefinedValue && error.message.startsWith('unhashable type')
}

/** Ansible's `unique`: Jinja2's (case-insensitive unless asked), or by equality when items cannot be hashed. */
function unique(values: unknown, caseSensitive: unknown, attribute: unknown): unknown[] {
  const items = iterate(values)
  const key = keyGetter(attribute, caseSensitive !== undefined && caseSensitive !== null && truthy(caseSensitive))
  try {
    const seen = new Set<string>()
    return items.filter((item) => {
      const hashed = hashKey(key(item))
      if (seen.has(hashed)) return false
      seen.add(hashed)
      return true
    })
  } catch (error) {
    if (!isUnhashable(error)) throw error
    if (caseSensitive === false || (attribute !== undefined && attribute !== null)) {
      throw new TemplateFault(
        "Jinja2's unique filter failed and we cannot fall back to Ansible's version as it does not support the parameters supplied",
      )
    }
    const out: unknown[] = []
    for (const item of items) if (!out.some((kept) => pyEquals(kept, item))) out.push(item)
    return out
  }
}

function sort(value: unknown, reverse: unknown, caseSensitive: unknown, attribute: unknown): unknown[] {
  const items = iterate(value)
  const paths = typeof attribute === 'string' ? attribute.split(',') : [attribute]
  const sensitive = caseSensitive !== undefined && truthy(caseSensitive)
  const getters = paths.map((path) => keyGetter(path, sensitive))
  const keyed = items.map((item) => ({item, key: getters.map((getter) => getter(item))}))
  const direction = reverse !== undefined && truthy(reverse) ? -1 : 1
  keyed.sort((a, b) => direction * pyOrder(a.key, b.key))
  return keyed.map(({item}) => item)
}

function extreme(value: unknown, caseSensitive: unknown, attribute: unknown, sign: 1 | -1): unknown {
  const items = iterate(value)
  if (items.length === 0) return new Undefined('', {hint: 'No aggregated item, sequence was empty.'})
  const key = keyGetter(attribute, caseSensitive !== undefined && truthy(caseSensitive))
  let best = items[0]
  let bestKey = key(best)
  for (const item of items.slice(1)) {
    const itemKey = key(item)
    if (sign * pyOrder(itemKey, bestKey, sign < 0 ? '<' : '>') > 0) {
      best = item
      bestKey = itemKey
    }
  }
  return best
}

function reversedItems(value: unknown): unknown {
  checkDefined(value)
  if (typeof value === 'string') return codePoints(value).reverse().join('')
  return [...iterate(value)].reverse()
}

/** Ansible's flatten: nested lists spliced in (to `levels` deep), None and 'None'/'null' dropped unless told. */
function flatten(value: unknown, levels: unknown, skipNulls: unknown): unknown[] {
  const skip = skipNulls === undefined || truthy(skipNulls)
  const depth = levels === undefined || levels === null ? undefined : numberOf(levels)
  const out: unknown[] = []
  for (const element of iterate(value)) {
    if (skip && (element === null || element === 'None' || element === 'null')) continue
    if (Array.isArray(element)) {
      if (depth === undefined) out.push(...flatten(element, undefined, skipNulls))
      else if (depth >= 1) out.push(...flatten(element, Math.trunc(depth) - 1, skipNulls))
      else out.push(element)
    } else out.push(element)
  }
  return out
}

/** The operands of a set filter as lists (Python would use sets for two strings, in no stable order). */
function setOperands(a: unknown, b: unknown): [unknown[], unknown[]] {
  return [iterate(a), iterate(b)]
}

function mapItems(value: unknown, args: unknown[], kwargs: Record<string, unknown>, context: CallContext): unknown[] {
  if (!truthy(value)) return []
  const items = iterate(value)
  if (args.length === 0 && 'attribute' in kwargs) {
    const {attribute, default: fallback, ...rest} = kwargs
    const unexpected = Object.keys(rest)[0]
    if (unexpected !== undefined) throw new TemplateFault(`Unexpected keyword argument '${unexpected}'`)
    const getter = keyGetter(attribute, true, fallback)
    return items.map(getter)
  }
  const [name, ...rest] = args
  if (name === undefined) throw new TemplateFault('map requires a filter argument')
  return items.map((item) => context.callFilter(text(name, 'filter name'), item, rest, kwargs))
}

function selectItems(
  value: unknown,
  args: unknown[],
  kwargs: Record<string, unknown>,
  context: CallContext,
  options: {attribute: boolean; keep: boolean},
): unknown[] {
  if (!truthy(value)) return []
  const items = iterate(value)
  let rest = args
  let transform = (item: unknown): unknown => item
  if (options.attribute) {
    if (rest.length === 0) throw new TemplateFault('Missing parameter for attribute name')
    const getter = keyGetter(rest[0], true)
    transform = getter
    rest = rest.slice(1)
  }
  const [name, ...testArgs] = rest
  const holds =
    name === undefined
      ? (item: unknown) => truthy(item)
      : (item: unknown) => context.callTest(text(name, 'test name'), item, testArgs, kwargs)
  return items.filter((item) => holds(transform(item)) === options.keep)
}

function subelements(value: unknown, path: unknown, skipMissing: unknown): unknown[] {
  checkDefined(value)
  let elements: unknown[]
  if (isMapping(value)) elements = mappingEntries(value).map(([, item]) => item)
  else if (Array.isArray(value) && !isTuple(value)) elements = value
  else throw new TemplateFault('obj must be a list of dicts or a nested dict')
  let keys: unknown[]
  if (Array.isArray(path)) keys = path
  else if (typeof path === 'string') keys = path.split('.')
  else throw new TemplateFault('subelements must be a list or a string')
  const results: unknown[] = []
  for (const element of elements) {
    let values: unknown = element
    for (const key of keys) {
      if (isMapping(values)) {
        const found = mappingEntries(values).find(([name]) => name === key)
        if (found) {
          values = found[1]
          continue
        }
        if (skipMissing !== undefined && truthy(skipMissing)) {
          values = []
          break
        }
        throw new TemplateFault(`could not find ${pyRepr(key)} key in iterated item ${pyRepr(values)}`)
      }
      throw new TemplateFault(`the key ${String(key)} should point to a dictionary, got '${pyRepr(values)}'`)
    }
    if (!Array.isArray(values) || isTuple(values)) {
      throw new TemplateFault(`the key ${pyRepr(path)} should point to a list, got ${pyRepr(values)}`)
    }
    for (const item of values) results.push(tuple([element, item]))
  }
  return results
}

function product(lists: unknown[][], repeat: number): unknown[] {
  const pools: unknown[][] = []
  for (let i = 0; i < repeat; i++) pools.push(...lists)
  let out: unknown[][] = [[]]
  for (const pool of pools) out = out.flatMap((prefix) => pool.map((item) => [...prefix, item]))
  return out.map((items) => tuple(items))
}

export const LIST_FILTERS: Record<string, Filter> = {
  batch: define(['linecount', 'fill_with'], 1, (value, linecount, fill) => {
    const size = integer(linecount, 'linecount')
    if (size <= 0) throw new TemplateFault('batch size must be positive')
    const batches: unknown[][] = []
    for (const item of iterate(value)) {
      const last = batches.at(-1)
      if (last && last.length < size) last.push(item)
      else batches.push([item])
    }
    const last = batches.at(-1)
    if (last && fill !== undefined && fill !== null) while (last.length < size) last.push(fill)
    return batches
  }),
  difference: define(['b'], 1, (a, b) => {
    const [left, right] = setOperands(a, b)
    return unique(
      left.filter((item) => !pyContains(right, item)),
      true,
      undefined,
    )
  }),
  first: define([], 0, (value) => {
    const items = iterate(value)
    return items.length ? items[0] : new Undefined('', {hint: 'No first item, sequence was empty.'})
  }),
  flatten: define(['levels', 'skip_nulls'], 0, flatten),
  intersect: define(['b'], 1, (a, b) => {
    const [left, right] = setOperands(a, b)
    return unique(
      left.filter((item) => pyContains(right, item)),
      true,
      undefined,
    )
  }),
  last: define([], 0, (value) => {
    const items = iterate(value)
    return items.length ? items.at(-1) : new Undefined('', {hint: 'No last item, sequence was empty.'})
  }),
  map: (value, args, kwargs, context) => mapItems(value, args, kwargs, context),
  max: define(['case_sensitive', 'attribute'], 0, (value, cs, attribute) => extreme(value, cs, attribute, 1)),
  min: define(['case_sensitive', 'attribute'], 0, (value, cs, attribute) => extreme(value, cs, attribute, -1)),
  product: (value, args, kwargs) => {
    const {repeat, ...rest} = kwargs
    const unexpected = Object.keys(rest)[0]
    if (unexpected !== undefined)
      throw new TemplateFault(`product() got an unexpected keyword argument '${unexpected}'`)
    return product([value, ...args].map(iterate), repeat === undefined ? 1 : integer(repeat, 'repeat'))
  },
  reject: (value, args, kwargs, context) => selectItems(value, args, kwargs, context, {attribute: false, keep: false}),
  rejectattr: (value, args, kwargs, context) =>
    selectItems(value, args, kwargs, context, {attribute: true, keep: false}),
  reverse: define([], 0, reversedItems),
  select: (value, args, kwargs, context) => selectItems(value, args, kwargs, context, {attribute: false, keep: true}),
  selectattr: (value, args, kwargs, context) =>
    selectItems(value, args, kwargs, context, {attribute: true, keep: true}),
  sort: define(['reverse', 'case_sensitive', 'attribute'], 0, sort),
  subelements: define(['subelements', 'skip_missing'], 1, subelements),
  sum: define(['attribute', 'start'], 0, (value, attribute, start) => {
    const getter = keyGetter(attribute, true)
    let total: unknown = start ?? 0
    if (typeof total === 'string') throw new TemplateFault("sum() can't sum strings [use ''.join(seq) instead]")
    for (const item of iterate(value)) total = arithmetic('add', total, getter(item))
    return total
  }),
  symmetric_difference: define(['b'], 1, (a, b) => {
    const [left, right] = setOperands(a, b)
    const both = unique([...left, ...right], true, undefined)
    return both.filter((item) => !(pyContains(left, item) && pyContains(right, item)))
  }),
  union: define(['b'], 1, (a, b) => {
    const [left, right] = setOperands(a, b)
    return unique([...left, ...right], true, undefined)
  }),
  unique: define(['case_sensitive', 'attribute'], 0, unique),
  zip: (value, args, kwargs) => {
    if (Object.keys(kwargs).length) throw new TemplateFault('zip() takes no keyword arguments')
    const lists = [value, ...args].map(iterate)
    const length = Math.min(...lists.map((list) => list.length))
    return Array.from({length}, (_, index) => tuple(lists.map((list) => list[index])))
  },
  zip_longest: (value, args, kwargs) => {
    const {fillvalue = null, ...rest} = kwargs
    const unexpected = Object.keys(rest)[0]
    if (unexpected !== undefined) {
      throw new TemplateFault(`zip_longest() got an unexpected keyword argument '${unexpected}'`)
    }
    const lists = [value, ...args].map(iterate)
    const length = Math.max(0, ...lists.map((list) => list.length))
    return Array.from({length}, (_, index) =>
      tuple(lists.map((list) => (index < list.length ? list[index] : fillvalue))),
    )
  },
}
