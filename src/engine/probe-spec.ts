import type {Resource} from './resources.js'

import {unitName} from './resources.js'

/** Everything the probe must look at on one host, de-duplicated; indexes in the probe output refer to these arrays. */
export interface ProbeSpec {
  groups: string[]
  guards: Array<{creates?: string; id: string; unless?: string}>
  modules: string[]
  packages: string[]
  /** `content`: return the file's bytes too (files the engine diffs or edits), not only its hash. */
  paths: Array<{content: boolean; path: string}>
  sysctls: string[]
  units: string[]
  users: string[]
}

/** The probe for a list of resources (plus units the engine must know about for handlers, e.g. pending restarts). */
export function probeSpecFor(resources: readonly Resource[], extraUnits: readonly string[] = []): ProbeSpec {
  const paths = new Map<string, boolean>()
  const addPath = (path: string, content: boolean) => paths.set(path, (paths.get(path) ?? false) || content)
  const sets = {
    groups: new Set<string>(),
    modules: new Set<string>(),
    packages: new Set<string>(),
    sysctls: new Set<string>(),
    units: new Set<string>(extraUnits.map(unitName)),
    users: new Set<string>(),
  }
  const guards: ProbeSpec['guards'] = []
  for (const resource of resources) {
    switch (resource.kind) {
      case 'file':
      case 'line':
      case 'block': {
        addPath(resource.path, !(resource.kind === 'file' && resource.secret))
        break
      }
      case 'artifact':
      case 'absent':
      case 'directory':
      case 'symlink': {
        addPath(resource.path, false)
        break
      }
      case 'user': {
        sets.users.add(resource.name)
        break
      }
      case 'group': {
        sets.groups.add(resource.name)
        break
      }
      case 'package': {
        for (const name of resource.names) sets.packages.add(name)
        break
      }
      case 'service': {
        sets.units.add(unitName(resource.name))
        break
      }
      case 'kernel-module': {
        sets.modules.add(resource.name)
        break
      }
      case 'sysctl': {
        sets.sysctls.add(resource.name)
        break
      }
      case 'command': {
        guards.push({
          id: resource.id,
          ...(resource.creates === undefined ? {} : {creates: resource.creates}),
          ...(resource.unless === undefined ? {} : {unless: resource.unless}),
        })
        break
      }
    }
    for (const notify of 'notify' in resource ? (resource.notify ?? []) : []) sets.units.add(unitName(notify.service))
  }
  return {
    groups: [...sets.groups],
    guards,
    modules: [...sets.modules],
    packages: [...sets.packages],
    paths: [...paths].map(([path, content]) => ({content, path})),
    sysctls: [...sets.sysctls],
    units: [...sets.units],
    users: [...sets.users],
  }
}

const LIST_KEYS = ['groups', 'modules', 'packages', 'sysctls', 'units', 'users'] as const

/** Both probes in one (paths read with content when either asks for it). */
export function mergeSpecs(a: ProbeSpec, b: ProbeSpec): ProbeSpec {
  const merged = probeSpecFor([])
  for (const key of LIST_KEYS) merged[key] = [...new Set([...a[key], ...b[key]])]
  merged.guards = [...a.guards, ...b.guards.filter((guard) => !a.guards.some((other) => other.id === guard.id))]
  const paths = new Map<string, boolean>()
  for (const {content, path} of [...a.paths, ...b.paths]) paths.set(path, (paths.get(path) ?? false) || content)
  merged.paths = [...paths].map(([path, content]) => ({content, path}))
  return merged
}

/** What `wanted` asks that `probed` did not (a plan on real facts can touch more than the provisional one). */
export function missingFromProbe(wanted: ProbeSpec, probed: ProbeSpec): ProbeSpec | undefined {
  const missing = probeSpecFor([])
  for (const key of LIST_KEYS) missing[key] = wanted[key].filter((item) => !probed[key].includes(item))
  missing.guards = wanted.guards.filter((guard) => !probed.guards.some((other) => other.id === guard.id))
  missing.paths = wanted.paths.filter(
    (want) => !probed.paths.some((had) => had.path === want.path && (had.content || !want.content)),
  )
  return [...LIST_KEYS, 'guards' as const, 'paths' as const].some((key) => missing[key].length > 0)
    ? missing
    : undefined
}
