import type {Session, SessionSettings} from '../fanout/session.js'
import type {Inventory} from '../inventory/model.js'

import {stateDirFor} from '../core/state-dir.js'
import {withSession} from '../fanout/with-session.js'
import {type InventorySource, openInventory, printWarnings} from '../inventory/open.js'
import {selectHosts} from '../patterns/select.js'

/** The inventory, the hosts a pattern selects in it, and how to reach them. */
export interface ConnectionOptions extends InventorySource, SessionSettings {
  forks: number
  /** Further narrows the hosts, like ansible --limit (`@FILE` reads a retry file). */
  limit?: string | undefined
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

export async function loadTargets(pattern: string, options: ConnectionOptions): Promise<Targets> {
  const inventory = await openInventory(options)
  const {hosts, warnings} = selectHosts(inventory, pattern, {limit: options.limit})
  printWarnings(warnings)
  return {hosts, inventory}
}

/** Load the inventory, select the hosts, and hold one session (one connection per host) for the duration of `work`. */
export async function withScope<T>(
  pattern: string,
  options: ConnectionOptions,
  work: (scope: Scope) => Promise<T>,
): Promise<T> {
  return withTargets(await loadTargets(pattern, options), options, work)
}

export async function withTargets<T>(
  {hosts, inventory}: Targets,
  options: ConnectionOptions,
  work: (scope: Scope) => Promise<T>,
): Promise<T> {
  const notices = {first: 'interrupting: stopping what runs (Ctrl-C again to quit now)'}
  return withSession(inventory, hosts, options, notices, (session) =>
    work({inventory, session, startedAt: performance.now(), stateDir: stateDirFor(options.inventory)}),
  )
}
