import {TemplateFault} from './fault.js'
import {bindArguments} from './signature.js'
import {Undefined} from './undefined.js'
import {
  PyCallable,
  checkDefined,
  isInt,
  isMapping,
  iterate,
  mappingEntries,
  Namespace,
  numberOf,
  setItem,
  typeName,
} from './values.js'
import {dictKey} from './compare.js'

const RANGE_LIMIT = 1_000_000

function rangeBound(value: unknown): number {
  checkDefined(value)
  if (!isInt(value) && typeof value !== 'boolean') {
    throw new TemplateFault(`'${typeName(value)}' object cannot be interpreted as an integer`)
  }
  return numberOf(value)
}

/** Python's range(), as the list Ansible unrolls it to. */
function range(args: unknown[]): number[] {
  if (args.length === 0 || args.length > 3)
    throw new TemplateFault(`range expected 1 to 3 arguments, got ${args.length}`)
  const [start, stop, step] = args.length === 1 ? [0, rangeBound(args[0]), 1] : args.map(rangeBound)
  const by = step ?? 1
  if (by === 0) throw new TemplateFault('range() arg 3 must not be zero')
  const count = Math.max(0, Math.ceil(((stop ?? 0) - (start ?? 0)) / by))
  if (count > RANGE_LIMIT) throw new TemplateFault(`range() of ${count} items is too long`)
  return Array.from({length: count}, (_, index) => (start ?? 0) + index * by)
}

/** Python's dict(): from a mapping or key/value pairs, then keyword arguments. */
function dict(args: unknown[], kwargs: Record<string, unknown>): Record<string, unknown> {
  if (args.length > 1) throw new TemplateFault(`dict expected at most 1 argument, got ${args.length}`)
  const out: Record<string, unknown> = {}
  const [source] = args
  if (source !== undefined) {
    if (isMapping(source)) for (const [key, value] of mappingEntries(source)) setItem(out, key, value)
    else {
      iterate(source).forEach((pair, index) => {
        const items = iterate(pair)
        if (items.length !== 2) {
          throw new TemplateFault(
            `dictionary update sequence element #${index} has length ${items.length}; 2 is required`,
          )
        }
        setItem(out, dictKey(items[0]), items[1])
      })
    }
  }
  for (const [key, value] of Object.entries(kwargs)) setItem(out, key, value)
  return out
}

function unsupportedLookup(name: string): PyCallable {
  return new PyCallable(name, (args) => {
    const plugin = typeof args[0] === 'string' ? ` '${args[0]}'` : ''
    throw new TemplateFault(
      `${name}()${plugin} is not supported: goldentooth evaluates templates without Ansible's lookup plugins`,
    )
  })
}

/** Jinja2's and Ansible's global functions that goldentooth provides. */
export const GLOBALS: ReadonlyMap<string, PyCallable> = new Map(
  Object.entries({
    dict: new PyCallable('dict', dict),
    lookup: unsupportedLookup('lookup'),
    q: unsupportedLookup('q'),
    query: unsupportedLookup('query'),
    namespace: new PyCallable('namespace', (args, kwargs) => {
      const namespace = new Namespace()
      for (const [key, value] of Object.entries(args.length > 0 ? dict(args, kwargs) : kwargs))
        namespace.attributes.set(key, value)
      return namespace
    }),
    range: new PyCallable('range', range),
    undef: new PyCallable('undef', (args, kwargs) => {
      const [hint] = bindArguments('undef', ['hint'], 0, args, kwargs)
      const text = typeof hint === 'string' && hint ? hint : 'Mandatory variable has not been overridden'
      return new Undefined('undef', {hint: text})
    }),
  }),
)
