import type {Inventory, Vars} from './model.js'

import {UsageError} from '../core/errors.js'
import {resolvedVars} from './evaluate.js'
import {closeMatch} from './suggest.js'

function knownHost(inventory: Inventory, host: string): string {
  if (inventory.hosts.has(host)) return host
  const guess = closeMatch(host, inventory.hosts.keys())
  throw new UsageError(
    `unknown host '${host}'${guess ? ` (did you mean '${guess}'?)` : ''}`,
    'list them with: goldentooth inventory hosts all',
  )
}

/**
 * Merged variables per host (the `groups` map is left out: it is the same for every host): as written, or templated
 * (`resolved`), where a variable that cannot be templated shows why and is listed in `failed`.
 */
export function hostVariables(
  inventory: Inventory,
  host: string | undefined,
  options: {resolved: boolean; showSecrets: boolean},
): {failed: string[]; hosts: Record<string, Vars>} {
  const names = host === undefined ? [...inventory.hosts.keys()] : [knownHost(inventory, host)]
  const hosts: Record<string, Vars> = {}
  const failed: string[] = []
  for (const name of names) {
    if (options.resolved) {
      const resolved = resolvedVars(inventory, name, options.showSecrets)
      failed.push(...resolved.failed)
      hosts[name] = resolved.vars
    } else {
      const {groups: _groups, ...vars} = inventory.rawHostVars(name, {maskSecrets: !options.showSecrets})
      hosts[name] = vars
    }
  }
  return {failed, hosts}
}

/** The group tree as `ansible-inventory --graph` draws it (children and hosts in inventory order). */
export function groupGraph(inventory: Inventory, group = 'all'): string[] {
  if (!inventory.groups.has(group)) {
    const guess = closeMatch(group, inventory.groups.keys())
    throw new UsageError(`unknown group '${group}'${guess ? ` (did you mean '${guess}'?)` : ''}`)
  }
  const lines: string[] = []
  const indent = (depth: number, name: string): string => (depth ? `${'  |'.repeat(depth)}--${name}` : name)
  const draw = (name: string, depth: number): void => {
    const entry = inventory.groups.get(name)!
    lines.push(indent(depth, `@${name}:`))
    for (const child of entry.children) draw(child, depth + 1)
    if (name !== 'all') for (const host of entry.hosts) lines.push(indent(depth + 1, host))
  }
  draw(group, 0)
  return lines
}

export interface GroupSummary {
  name: string
  count: number
  hosts: string[]
}

/** Every group with its hosts (through child groups too), in inventory order. */
export function groupSummaries(inventory: Inventory): GroupSummary[] {
  return [...inventory.groups.keys()].map((name) => {
    const hosts = inventory.groupHosts(name)
    return {count: hosts.length, hosts, name}
  })
}
