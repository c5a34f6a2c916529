import type {Role} from '../../engine/role.js'

import {RunError} from '../../core/errors.js'
import {directory, file, packages, service} from '../../engine/resources.js'
import {nfsExports} from '../shared/nfs/exports.js'
import {kernelFetches, kernelLacks} from '../shared/nfs/kernel.js'
import meta from './meta.js'

const EXPORTS_FILE = '/etc/exports.d/goldentooth.exports'

export const nfsExportsRole: Role = {
  description:
    'Each nfs_server host exports what its nfs_exports lists, with the export roots 0755 (a 0700 root kept the slurm user out). Refuses, before changing anything, a host whose kernel cannot run the NFS server.',
  fetch: (_inventory, hosts) => kernelFetches(hosts),
  hosts: 'nfs_server',
  name: meta.name,
  plan(context) {
    const exports = nfsExports(context.vars)
    if (exports.length === 0) context.warn('in nfs_server but nfs_exports is empty: nothing is exported')
    return [
      packages(['nfs-kernel-server']),
      ...exports.map((entry) => directory(entry.path)),
      file(EXPORTS_FILE, context.template('exports.j2', {exports: exports.map((entry) => entry.line)}), {
        notify: [{action: 'reload', service: 'nfs-server'}],
      }),
      service('nfs-server'),
    ]
  },
  async prepare(context) {
    const refused = context.hosts.flatMap((host) => {
      const why = kernelLacks(context.factsOf(host), (path) => context.fetched(host, path), 'nfsd')
      return why ? [`${host}: ${why}`] : []
    })
    if (refused.length > 0) {
      throw new RunError(
        `cannot serve NFS: ${refused.join('; ')}; nothing was changed`,
        'run the NFS server on a host (or VM) whose kernel has nfsd',
      )
    }
    return undefined
  },
  summary: meta.summary,
}
