import type {Vars} from '../../../inventory/model.js'

import {InvalidInputError} from '../../../core/errors.js'
import {setting} from '../../vars.js'

export interface NfsExport {
  /** The exports(5) line. */
  line: string
  path: string
}

const DEFAULT_OPTIONS = 'rw,sync,no_root_squash,no_subtree_check'

/**
 * A host's `nfs_exports`: exports(5) lines as the original wrote them (`/mnt/usb1 *(rw,sync,…)`), or
 * `{path, clients, options}` with clients defaulting to the infrastructure network.
 */
export function nfsExports(vars: Vars): NfsExport[] {
  const host = vars.inventory_hostname as string
  const network = setting(vars, 'network.infrastructure.cidr', '*')
  return setting(vars, 'nfs_exports', [] as unknown[]).map((entry) => {
    if (typeof entry === 'string') {
      const path = entry.trim().split(/\s+/)[0]!
      if (!path.startsWith('/'))
        throw new InvalidInputError(
          `nfs_exports: '${entry}' is no exports(5) line: it must start with an absolute path (${host})`,
        )
      return {line: entry.trim(), path}
    }
    const given = (entry ?? {}) as Record<string, unknown>
    if (typeof given.path !== 'string' || !given.path.startsWith('/')) {
      throw new InvalidInputError(`nfs_exports: every export needs an absolute path (${host})`)
    }
    const clients = Array.isArray(given.clients) ? given.clients : [given.clients ?? network]
    const options = typeof given.options === 'string' ? given.options : DEFAULT_OPTIONS
    return {line: [given.path, ...clients.map((client) => `${String(client)}(${options})`)].join(' '), path: given.path}
  })
}
