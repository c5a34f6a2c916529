import {dictKey} from './compare.js'
import {TemplateFault} from './fault.js'
import {pythonAttribute} from './methods.js'
import {pyRepr} from './repr.js'
import {Undefined} from './undefined.js'
import {
  checkDefined,
  codePoints,
  failUndefined,
  isInt,
  isMapping,
  isTuple,
  mappingGet,
  Namespace,
  numberOf,
  objectTypeRepr,
  tuple,
} from './values.js'

/** A `start:stop:step` subscript. */
export class PySlice {
  readonly start: unknown
  readonly stop: unknown
  readonly step: unknown

  constructor(start: unknown, stop: unknown, step: unknown) {
    this.start = start
    this.stop = stop
    this.step = step
  }
}

function sliceBound(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined
  checkDefined(value)
  if (!isInt(value) && typeof value !== 'boolean') {
    throw new TemplateFault('slice indices must be integers or None or have an __index__ method')
  }
  return numberOf(value)
}

/** The items Python's `sequence[start:stop:step]` selects. */
function sliceItems<T>(items: T[], slice: PySlice): T[] {
  const step = sliceBound(slice.step) ?? 1
  if (step === 0) throw new TemplateFault('slice step cannot be zero')
  const length = items.length
  const adjust = (value: number | undefined, fallback: number): number => {
    if (value === undefined) return fallback
    if (value < 0) return Math.max(value + length, step < 0 ? -1 : 0)
    return Math.min(value, step < 0 ? length - 1 : length)
  }
  const start = adjust(sliceBound(slice.start), step < 0 ? length - 1 : 0)
  const stop = adjust(sliceBound(slice.stop), step < 0 ? -1 : length)
  const out: T[] = []
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(items[i] as T)
  return out
}

function missingAttribute(container: unknown, name: string): Undefined {
  return new Undefined(name, {hint: `'${objectTypeRepr(container)}' has no attribute '${name}'`})
}

function missingElement(container: unknown, key: unknown): Undefined {
  const name = typeof key === 'string' ? key : pyRepr(key)
  return new Undefined(name, {hint: `${objectTypeRepr(container)} has no element ${pyRepr(key)}`})
}

const NOT_FOUND = Symbol('not found')

/** Python's `container[key]`, or NOT_FOUND where Python raises KeyError, IndexError or TypeError. */
function subscript(container: unknown, key: unknown): unknown {
  if (container instanceof Namespace) {
    const value = typeof key === 'string' ? container.attributes.get(key) : undefined
    return value === undefined ? NOT_FOUND : value
  }
  if (isMapping(container)) {
    if (key instanceof PySlice || (Array.isArray(key) && !isTuple(key)) || isMapping(key)) return NOT_FOUND
    const value = mappingGet(container, dictKey(key))
    return value === undefined ? NOT_FOUND : value
  }
  if (Array.isArray(container) || typeof container === 'string') {
    const items = typeof container === 'string' ? codePoints(container) : container
    if (key instanceof PySlice) {
      const selected = sliceItems(items, key)
      if (typeof container === 'string') return selected.join('')
      return isTuple(container) ? tuple(selected) : selected
    }
    if (!isInt(key) && typeof key !== 'boolean') return NOT_FOUND
    const index = numberOf(key)
    const item = items[index < 0 ? index + items.length : index]
    return item === undefined ? NOT_FOUND : item
  }
  return NOT_FOUND
}

/** Jinja2's Environment.getitem (`x[key]`): the item, else the attribute named by a string key, else an Undefined. */
export function getItem(container: unknown, key: unknown): unknown {
  if (container instanceof Undefined) return container.lenient ? failUndefined(container) : container
  checkDefined(key)
  const value = subscript(container, key)
  if (value !== NOT_FOUND) return value
  if (typeof key === 'string') {
    const attribute = pythonAttribute(container, key)
    if (attribute) return attribute
    return missingAttribute(container, key)
  }
  return missingElement(container, key)
}

/** Jinja2's Environment.getattr (`x.name`): the Python attribute, else the item, else an Undefined. */
export function getAttribute(container: unknown, name: string): unknown {
  if (container instanceof Undefined) return container.lenient ? failUndefined(container) : container
  const attribute = pythonAttribute(container, name)
  if (attribute) return attribute
  const value = subscript(container, name)
  return value === NOT_FOUND ? missingAttribute(container, name) : value
}
