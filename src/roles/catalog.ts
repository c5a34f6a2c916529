import type {Role} from '../engine/role.js'
import type {RoleMeta, RoleModule, RoleOption} from './role-module.js'

import certCanary from './cert_canary/meta.js'
import configureCluster from './configure_cluster/meta.js'
import consul from './consul/meta.js'
import gpu from './gpu/meta.js'
import nfsExports from './nfs_exports/meta.js'
import nfsMounts from './nfs_mounts/meta.js'
import nomad from './nomad/meta.js'
import seaweedfs from './seaweedfs/meta.js'
import slurm from './slurm/meta.js'
import sshCertificates from './ssh_certificates/meta.js'
import stepCa from './step_ca/meta.js'
import vault from './vault/meta.js'
import zfs from './zfs/meta.js'

/** Every role, as metadata only: a role's code is imported when its command runs (start-up stays fast). */
export interface RoleEntry {
  /** The command that runs it: setup_<name>, or the original cluster's name (configure_cluster). */
  command: string
  /** The role, or roles run one after another (a CA, then its clients). */
  load: () => Promise<Role[]>
  name: string
  /** Options only this role's command takes, by flag name. */
  options?: Record<string, RoleOption>
  summary: string
}

function entry(meta: RoleMeta, load: () => Promise<{default: RoleModule}>): RoleEntry {
  return {
    command: meta.command ?? `setup_${meta.name}`,
    load: async () => (await load()).default.roles,
    name: meta.name,
    ...(meta.options ? {options: meta.options} : {}),
    summary: meta.summary,
  }
}

export const ROLES: RoleEntry[] = [
  entry(configureCluster, () => import('./configure_cluster/index.js')),
  entry(stepCa, () => import('./step_ca/index.js')),
  entry(sshCertificates, () => import('./ssh_certificates/index.js')),
  entry(certCanary, () => import('./cert_canary/index.js')),
  entry(consul, () => import('./consul/index.js')),
  entry(vault, () => import('./vault/index.js')),
  entry(nomad, () => import('./nomad/index.js')),
  entry(slurm, () => import('./slurm/index.js')),
  entry(gpu, () => import('./gpu/index.js')),
  entry(nfsExports, () => import('./nfs_exports/index.js')),
  entry(nfsMounts, () => import('./nfs_mounts/index.js')),
  entry(zfs, () => import('./zfs/index.js')),
  entry(seaweedfs, () => import('./seaweedfs/index.js')),
]
