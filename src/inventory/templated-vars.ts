import type {HostScope} from './model.js'
import type {Vars} from './model.js'

/**
 * A host's variables as an object whose properties are templated when read (through the host's scope, which caches
 * them): `vars.cluster.name`, `'x' in vars` and `Object.keys(vars)` work as on a plain object.
 */
export function templatedVars(scope: HostScope): Vars {
  const names = new Set(scope.names())
  return new Proxy<Vars>(
    {},
    {
      get: (_, name) => (typeof name === 'string' && names.has(name) ? scope.value(name) : undefined),
      getOwnPropertyDescriptor: (_, name) =>
        typeof name === 'string' && names.has(name)
          ? {configurable: true, enumerable: true, value: scope.value(name), writable: false}
          : undefined,
      has: (_, name) => typeof name === 'string' && names.has(name),
      ownKeys: () => [...names],
    },
  )
}
