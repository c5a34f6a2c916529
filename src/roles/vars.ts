import type {Vars} from '../inventory/model.js'

import {InvalidInputError} from '../cli/errors.js'

/** The address other nodes reach a host at: ipv4_address (the goldentooth convention), else ansible_host. */
export function hostAddress(vars: Vars): string | undefined {
  for (const key of ['ipv4_address', 'ansible_host']) {
    if (typeof vars[key] === 'string' && vars[key] !== '') return vars[key] as string
  }
  return undefined
}

/** `<host>.<cluster.node_domain>`, or the bare name when the inventory has no node domain. */
export function nodeFqdn(host: string, vars: Vars): string {
  const domain = (vars.cluster as {node_domain?: unknown} | undefined)?.node_domain
  return typeof domain === 'string' && domain !== '' ? `${host}.${domain}` : host
}

function kindOf(value: unknown): string {
  return Array.isArray(value) ? 'list' : value === null ? 'null' : typeof value
}

/**
 * An inventory variable with a role default; a value of the wrong kind is an error naming the variable. A dotted name
 * reads inside dicts (`slurm.nfs_base_path`); a missing dict on the way gives the default.
 */
export function setting<T>(vars: Vars, name: string, fallback: T): T {
  let value: unknown = vars
  for (const key of name.split('.')) {
    value = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Vars)[key] : undefined
  }
  if (value === undefined || value === null) return fallback
  if (kindOf(value) !== kindOf(fallback)) {
    throw new InvalidInputError(
      `${name} must be a ${kindOf(fallback)}, not a ${kindOf(value)} (${vars.inventory_hostname as string})`,
    )
  }
  return value as T
}
