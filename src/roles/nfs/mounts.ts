import type {Inventory, Vars} from '../../inventory/model.js'

import {InvalidInputError} from '../../cli/errors.js'
import {mountUnitName} from '../../engine/systemd-escape.js'
import {hostAddress, setting} from '../vars.js'

export interface NfsMount {
  idleTimeout: number
  name: string
  options: string
  /** The inventory host serving it (NFS types only). */
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

export function isNfs(mount: NfsMount): boolean {
  return NFS_TYPES.has(mount.type)
}

export function mountUnits(mount: NfsMount): {automount: string; mount: string} {
  return {automount: mountUnitName(mount.where, 'automount'), mount: mountUnitName(mount.where, 'mount')}
}

/**
 * `nfs.mounts`: each entry names its own server (`server: allyrion`, an inventory host), the share on it and the mount
 * point. `type` other than nfs/nfs4 mounts `share` as a local source (a bind mount, say).
 */
export function nfsMounts(inventory: Inventory, vars: Vars): NfsMount[] {
  const host = vars.inventory_hostname as string
  const where = inventory.varLocation(host, 'nfs')
  const fail = (message: string) => new InvalidInputError(`nfs.mounts: ${message}`, where)
  const defaults = setting(vars, 'nfs.options', DEFAULT_OPTIONS)
  const mounts = setting(vars, 'nfs.mounts', {} as Record<string, unknown>)
  return Object.entries(mounts).map(([name, value]) => {
    const given = (value ?? {}) as Record<string, unknown>
    const text = (key: string) => (typeof given[key] === 'string' ? (given[key] as string) : undefined)
    const share = text('share')
    const mount = text('mount')
    if (!share || !mount?.startsWith('/') || mount.split('/').includes('..')) {
      throw fail(`${name} needs share and an absolute, normalized mount path`)
    }
    const type = text('type') ?? 'nfs'
    const server = text('server')
    let what = share
    if (NFS_TYPES.has(type)) {
      if (!server || !inventory.hosts.has(server)) throw fail(`${name} needs server: the inventory host serving it`)
      const address = hostAddress(inventory.hostVars(server))
      if (!address) throw fail(`${name}: server ${server} has no ipv4_address or ansible_host`)
      what = `${address}:${share}`
    }
    return {
      idleTimeout: typeof given.idle_timeout === 'number' ? given.idle_timeout : 300,
      name,
      options: text('options') ?? defaults,
      ...(server ? {server} : {}),
      share,
      type,
      what,
      where: mount,
    }
  })
}
