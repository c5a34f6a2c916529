import type {Vars} from '../inventory/model.js'

import {InvalidInputError} from '../core/errors.js'

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/
const HOSTNAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i

/** An invalid inventory value: the message names the variable; the host it was read for is added. */
export function invalidVar(vars: Vars, message: string, hint?: string): InvalidInputError {
  return new InvalidInputError(`${message} (${vars.inventory_hostname as string})`, undefined, hint)
}

/** The value at a dotted name (`slurm.nfs_base_path` reads inside dicts); undefined when any step is missing. */
export function lookup(vars: Vars, name: string): unknown {
  let value: unknown = vars
  for (const key of name.split('.')) {
    value = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Vars)[key] : undefined
  }
  return value ?? undefined
}

/** Whether the inventory gives a value (null counts as not given, as it does for Ansible's `default`). */
export function given(vars: Vars, name: string): boolean {
  return lookup(vars, name) !== undefined
}

/** The address other nodes reach a host at: ipv4_address (the goldentooth convention), else ansible_host. */
export function hostAddress(vars: Vars): string | undefined {
  const ipv4 = setting(vars, 'ipv4_address', '')
  if (ipv4 !== '' && !IPV4.test(ipv4)) throw invalidVar(vars, `ipv4_address must be an IPv4 address, not '${ipv4}'`)
  if (ipv4 !== '') return ipv4
  const host = vars.ansible_host
  return typeof host === 'string' && host !== '' ? host : undefined
}

/** The name a node calls itself (its hostname, in /etc/hosts and certificates): clean_hostname, else its inventory name. */
export function hostName(host: string, vars: Vars): string {
  const name = setting(vars, 'clean_hostname', '')
  if (name === '') return host
  if (!HOSTNAME.test(name))
    throw invalidVar(vars, `clean_hostname must be one DNS label (letters, digits, '-'), not '${name}'`)
  return name
}

/** `<hostname>.<cluster.node_domain>`, or the bare hostname when the inventory has no node domain. */
export function nodeFqdn(host: string, vars: Vars): string {
  const domain = setting(vars, 'cluster.node_domain', '')
  return domain === '' ? hostName(host, vars) : `${hostName(host, vars)}.${domain}`
}

/** cluster_name, else the original's cluster.name. */
export function clusterName(vars: Vars): string {
  return settingOf(vars, ['cluster_name', 'cluster.name'], 'goldentooth')
}

function kindOf(value: unknown): string {
  return Array.isArray(value) ? 'list' : value === null ? 'null' : typeof value
}

/**
 * An inventory variable with a role default; a value of the wrong kind is an error naming the variable. A dotted name
 * reads inside dicts (`slurm.nfs_base_path`); a missing dict on the way gives the default.
 */
export function setting<T>(vars: Vars, name: string, fallback: T): T {
  const value = lookup(vars, name)
  if (value === undefined) return fallback
  if (kindOf(value) !== kindOf(fallback)) {
    throw invalidVar(vars, `${name} must be a ${kindOf(fallback)}, not a ${kindOf(value)}`)
  }
  return value as T
}

/** Which of a setting's spellings the inventory gives first (the one that wins). */
export function givenName(vars: Vars, names: readonly string[]): string | undefined {
  return names.find((name) => given(vars, name))
}

/**
 * A setting with several spellings (goldentooth's own first, then the original cluster's): the first one the inventory
 * gives wins.
 */
export function settingOf<T>(vars: Vars, names: readonly string[], fallback: T): T {
  const name = givenName(vars, names)
  return name === undefined ? fallback : setting(vars, name, fallback)
}

/**
 * A variable of the original cluster that goldentooth derives instead: read, and refused when it says something
 * goldentooth would not do.
 */
export function derived(vars: Vars, name: string, expected: string, why: string): void {
  const value = lookup(vars, name)
  if (value !== undefined && value !== expected) {
    throw invalidVar(vars, `${name} must be ${expected}, not ${JSON.stringify(value)}: ${why}`)
  }
}

/** An absolute path without `.` or `..` steps, as `name` gave it; a trailing slash is dropped. */
export function absolutePath(vars: Vars, name: string, value: string): string {
  if (!/^\/([^/\0]+\/)*[^/\0]*$/.test(value) || value.split('/').some((part) => part === '..' || part === '.')) {
    throw invalidVar(vars, `${name} must be an absolute path, not '${value}'`)
  }
  return value.length > 1 && value.endsWith('/') ? value.slice(0, -1) : value
}

/** A path setting, under one name or several spellings (the first given wins). */
export function pathSetting(vars: Vars, names: string | readonly string[], fallback: string): string {
  const list = typeof names === 'string' ? [names] : names
  return absolutePath(vars, givenName(vars, list) ?? list[0]!, settingOf(vars, list, fallback))
}
