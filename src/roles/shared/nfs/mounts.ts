import type {Inventory, Vars} from '../../../inventory/model.js'

import {InvalidInputError} from '../../../core/errors.js'
import {mountUnitName, systemdEscapePath} from '../../../engine/systemd-escape.js'
import {hostAddress, setting} from '../../vars.js'

export interface NfsMount {
  idleTimeout: number
  name: string
  options: string
  /** Options of the original's list left out, with the reason (the role warns about them). */
  optionsLeftOut: string[]
  /** The inventory host serving it (NFS types only; unknown when the original's share names another machine). */
  server?: string
  /** The path on the server (or the local source of a non-NFS mount). */
  share: string
  type: string
  /** What the mount unit mounts: `<server address>:<share>` for NFS. */
  what: string
  where: string
}

/** nofail and _netdev keep an unreachable server from holding up boot; soft and timeo keep clients from hanging. */
const DEFAULT_OPTIONS = 'soft,timeo=30,retrans=2,_netdev,nofail'
const NFS_TYPES = new Set(['nfs', 'nfs4'])
/** Options of the original's lists that have no place in a systemd mount unit. */
const LEFT_OUT: Record<string, string> = {
  bg: 'bg (mount.nfs would return before the share is mounted, and systemd would count that as mounted)',
  intr: 'intr (ignored by the kernel since 2.6.25)',
}
/** The original's share: `<server address>:<path>`. */
const REMOTE_SHARE = /^([^/:[\]]+):(\/.*)$/

export function isNfs(mount: NfsMount): boolean {
  return NFS_TYPES.has(mount.type)
}

export function mountUnits(mount: NfsMount): {automount: string; mount: string} {
  return {automount: mountUnitName(mount.where, 'automount'), mount: mountUnitName(mount.where, 'mount')}
}

/** The inventory host a name or address in the original's share stands for. */
function hostServing(inventory: Inventory, nameOrAddress: string): string | undefined {
  if (inventory.hosts.has(nameOrAddress)) return nameOrAddress
  return [...inventory.hosts.keys()].find((host) => hostAddress(inventory.hostVars(host)) === nameOrAddress)
}

/**
 * `nfs.mounts`, in either shape. goldentooth's: `server` (an inventory host), `share` (the path on it), `mount`, and
 * `options` as a string. The original's: `share` as `<address>:<path>`, `mount`, `type`, `options` as a list and
 * `safe_name` (checked against the unit name systemd requires). A mount without either server falls back to
 * `nfs.server`. `type` other than nfs/nfs4 mounts `share` as a local source (a bind mount, say).
 */
export function nfsMounts(inventory: Inventory, vars: Vars): NfsMount[] {
  const host = vars.inventory_hostname as string
  const where = inventory.varLocation(host, 'nfs')
  const fail = (message: string) => new InvalidInputError(`nfs.mounts: ${message}`, where)
  const defaults = setting(vars, 'nfs.options', DEFAULT_OPTIONS)
  const fallbackServer = setting(vars, 'nfs.server', '')
  const mounts = setting(vars, 'nfs.mounts', {} as Record<string, unknown>)
  return Object.entries(mounts).map(([name, value]) => {
    const given = (value ?? {}) as Record<string, unknown>
    const text = (key: string) => (typeof given[key] === 'string' ? (given[key] as string) : undefined)
    const mount = text('mount')
    const share = text('share')
    if (!share || !mount?.startsWith('/') || mount.split('/').includes('..')) {
      throw fail(`${name} needs share and an absolute, normalized mount path`)
    }
    const safeName = text('safe_name')
    if (safeName !== undefined && safeName !== systemdEscapePath(mount)) {
      throw fail(
        `${name}.safe_name must be ${systemdEscapePath(mount)}, not ${safeName}: systemd names a mount unit after its mount point`,
      )
    }
    const type = text('type') ?? 'nfs'
    const remote = REMOTE_SHARE.exec(share)
    const path = remote ? remote[2]! : share
    let server = text('server')
    let what = share
    if (NFS_TYPES.has(type) && server === undefined && remote) {
      server = hostServing(inventory, remote[1]!)
    } else if (NFS_TYPES.has(type)) {
      server ??= fallbackServer === '' ? undefined : fallbackServer
      if (!server || !inventory.hosts.has(server))
        throw fail(`${name} needs server (the inventory host serving it), or share as <address>:<path>`)
      const address = hostAddress(inventory.hostVars(server))
      if (!address) throw fail(`${name}: server ${server} has no ipv4_address or ansible_host`)
      what = `${address}:${path}`
    }
    const options = optionList(given.options, defaults, () => fail(`${name}.options must be a string or a list`))
    const idleTimeout = given.idle_timeout ?? 300
    if (typeof idleTimeout !== 'number' || !Number.isInteger(idleTimeout) || idleTimeout < 0)
      throw fail(`${name}.idle_timeout must be a whole number of seconds`)
    return {
      idleTimeout,
      name,
      options: options.kept.join(','),
      optionsLeftOut: options.leftOut,
      ...(server ? {server} : {}),
      share: path,
      type,
      what,
      where: mount,
    }
  })
}

/** The mounts a host gets: a server does not mount its own share over the directory it exports (that would hide it). */
export function hostMounts(inventory: Inventory, host: string, vars: Vars): NfsMount[] {
  return nfsMounts(inventory, vars).filter((mount) => !(mount.server === host && mount.where === mount.share))
}

function optionList(value: unknown, defaults: string, invalid: () => Error): {kept: string[]; leftOut: string[]} {
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0))
    return {kept: [defaults], leftOut: []}
  if (typeof value === 'string') return {kept: [value], leftOut: []}
  if (!Array.isArray(value) || !value.every((option) => typeof option === 'string')) throw invalid()
  const options = value as string[]
  return {
    kept: options.filter((option) => !(option in LEFT_OUT)),
    leftOut: options.filter((option) => option in LEFT_OUT).map((option) => LEFT_OUT[option]!),
  }
}
