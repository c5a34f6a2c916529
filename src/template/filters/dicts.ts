import {getItem} from '../access.js'
import {dictKey, pyContains, pyEquals, pyOrder} from '../compare.js'
import type {Filter} from '../environment.js'
import {TemplateFault} from '../fault.js'
import {pyRepr} from '../repr.js'
import {Undefined} from '../undefined.js'
import {isDict, isMapping, iterate, mappingEntries, setItem, truthy, tuple, typeName, type Dict} from '../values.js'
import {define, text} from './define.js'

const LIST_MERGES = ['replace', 'keep', 'append', 'prepend', 'append_rp', 'prepend_rp']

/** Ansible's merge_hash: y merged into a copy of x, y winning. */
function mergeHash(x: Dict, y: Dict, recursive: boolean, listMerge: string): Dict {
  if (Object.keys(x).length === 0 || pyEquals(x, y)) return {...y}
  const out: Dict = {...x}
  if (!recursive && listMerge === 'replace') return {...out, ...y}
  for (const [key, yValue] of Object.entries(y)) {
    if (!Object.hasOwn(out, key)) {
      setItem(out, key, yValue)
      continue
    }
    const xValue = out[key]
    if (isDict(xValue) && isDict(yValue)) {
      setItem(out, key, recursive ? mergeHash(xValue, yValue, recursive, listMerge) : yValue)
    } else if (Array.isArray(xValue) && Array.isArray(yValue)) {
      if (listMerge === 'replace') setItem(out, key, yValue)
      else if (listMerge === 'append') setItem(out, key, [...xValue, ...yValue])
      else if (listMerge === 'prepend') setItem(out, key, [...yValue, ...xValue])
      else if (listMerge === 'append_rp')
        setItem(out, key, [...xValue.filter((item) => !pyContains(yValue, item)), ...yValue])
      else if (listMerge === 'prepend_rp')
        setItem(out, key, [...yValue, ...xValue.filter((item) => !pyContains(yValue, item))])
    } else setItem(out, key, yValue)
  }
  return out
}

function hasUndefined(value: unknown): boolean {
  if (value instanceof Undefined) return true
  if (Array.isArray(value)) return value.some(hasUndefined)
  if (isDict(value)) return Object.values(value).some(hasUndefined)
  return false
}

function combine(value: unknown, args: unknown[], kwargs: Record<string, unknown>): unknown {
  const {recursive = false, list_merge: listMerge = 'replace', ...rest} = kwargs
  if (Object.keys(rest).length) {
    throw new TemplateFault("'recursive' and 'list_merge' are the only valid keyword arguments")
  }
  const dictionaries = [value, ...args].flatMap((term) =>
    term === null || term === 'None' || term === 'null' ? [] : Array.isArray(term) ? term : [term],
  )
  const missing = dictionaries.find(hasUndefined)
  if (missing !== undefined) throw new TemplateFault(`${pyRepr(String(missing))} is undefined`)
  if (!LIST_MERGES.includes(String(listMerge))) {
    throw new TemplateFault(
      "merge_hash: 'list_merge' argument can only be equal to 'replace', 'keep', 'append', 'prepend', 'append_rp' or 'prepend_rp'",
    )
  }
  if (dictionaries.length === 0) return {}
  if (dictionaries.length === 1) return dictionaries[0]
  for (const dictionary of dictionaries) {
    if (!isDict(dictionary)) {
      throw new TemplateFault(`failed to combine variables, expected dicts but got a '${typeName(dictionary)}'`)
    }
  }
  const dicts = dictionaries as Dict[]
  let result = dicts.at(-1) as Dict
  for (const dictionary of dicts.slice(0, -1).reverse()) {
    result = mergeHash(dictionary, result, truthy(recursive), String(listMerge))
  }
  return result
}

function dictsort(value: unknown, caseSensitive: unknown, by: unknown, reverse: unknown): unknown[] {
  if (!isMapping(value)) throw new TemplateFault(`'${typeName(value)}' object has no attribute 'items'`)
  const position = by === undefined || by === 'key' ? 0 : by === 'value' ? 1 : undefined
  if (position === undefined) throw new TemplateFault('You can only sort by either "key" or "value"')
  const sensitive = caseSensitive !== undefined && truthy(caseSensitive)
  const key = (item: [string, unknown]): unknown => {
    const part = item[position]
    return !sensitive && typeof part === 'string' ? part.toLowerCase() : part
  }
  const direction = reverse !== undefined && truthy(reverse) ? -1 : 1
  return mappingEntries(value)
    .sort((a, b) => direction * pyOrder(key(a), key(b)))
    .map((entry) => tuple(entry))
}

export const DICT_FILTERS: Record<string, Filter> = {
  combine: (value, args, kwargs) => combine(value, args, kwargs),
  dict2items: define(['key_name', 'value_name'], 0, (value, keyName, valueName) => {
    if (!isMapping(value)) throw new TemplateFault(`dict2items requires a dictionary, got ${typeName(value)} instead.`)
    const keyField = keyName === undefined ? 'key' : text(keyName, 'key_name')
    const valueField = valueName === undefined ? 'value' : text(valueName, 'value_name')
    return mappingEntries(value).map(([key, item]) => ({[keyField]: key, [valueField]: item}))
  }),
  dictsort: define(['case_sensitive', 'by', 'reverse'], 0, dictsort),
  extract: define(['container', 'morekeys'], 1, (item, container, morekeys) => {
    const keys =
      morekeys === undefined || morekeys === null
        ? [item]
        : Array.isArray(morekeys)
          ? [item, ...morekeys]
          : [item, morekeys]
    let value = container
    for (const key of keys) value = getItem(value, key)
    return value
  }),
  items2dict: define(['key_name', 'value_name'], 0, (value, keyName, valueName) => {
    if (!Array.isArray(value)) throw new TemplateFault(`items2dict requires a list, got ${typeName(value)} instead.`)
    const keyField = keyName ?? 'key'
    const valueField = valueName ?? 'value'
    const out: Dict = {}
    for (const item of iterate(value)) {
      if (!isMapping(item) && !Array.isArray(item))
        throw new TemplateFault(`items2dict requires a list of dictionaries, got ${pyRepr(value)} instead.`)
      const [key, entry] = [getItem(item, keyField), getItem(item, valueField)]
      if (key instanceof Undefined || entry instanceof Undefined) {
        throw new TemplateFault(
          `items2dict requires each dictionary in the list to contain the keys ${pyRepr(keyField)} and ${pyRepr(valueField)}, got ${pyRepr(value)} instead.`,
        )
      }
      setItem(out, dictKey(key), entry)
    }
    return out
  }),
}
