import type {Session} from '../fanout/session.js'
import type {Inventory} from '../inventory/model.js'

import {stateDirFor} from '../core/state-dir.js'

import {withSession} from '../fanout/with-session.js'
import {openInventory, printWarnings} from '../inventory/open.js'
import {selectHosts} from '../patterns/select.js'

export interface ConnectionFlagValues {
  'connect-timeout': number
  forks: number
  'insecure-accept-host-keys': boolean
  inventory: string
  limit?: string | undefined
  'ssh-config'?: string | undefined
  'vault-password-file'?: string | undefined
}

export interface Scope {
  inventory: Inventory
  session: Session
  startedAt: number
  stateDir: string
}

export interface Targets {
  hosts: string[]
  inventory: Inventory
}

export async function loadTargets(pattern: string, flags: ConnectionFlagValues): Promise<Targets> {
  const inventory = await openInventory(flags)
  const {hosts, warnings} = selectHosts(inventory, pattern, {limit: flags.limit})
  printWarnings(warnings)
  return {hosts, inventory}
}

/** Load the inventory, select the hosts, and hold one session (one connection per host) for the duration of `work`. */
export async function withScope<T>(
  pattern: string,
  flags: ConnectionFlagValues,
  work: (scope: Scope) => Promise<T>,
): Promise<T> {
  return withTargets(await loadTargets(pattern, flags), flags, work)
}

export async function withTargets<T>(
  {hosts, inventory}: Targets,
  flags: ConnectionFlagValues,
  work: (scope: Scope) => Promise<T>,
): Promise<T> {
  const notices = {first: 'interrupting: stopping what runs (Ctrl-C again to quit now)'}
  return withSession(inventory, hosts, flags, notices, (session) =>
    work({inventory, session, startedAt: performance.now(), stateDir: stateDirFor(flags.inventory)}),
  )
}
