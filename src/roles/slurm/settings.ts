import type {Vars} from '../../inventory/model.js'

import {InvalidInputError} from '../../core/errors.js'
import {absolutePath, clusterName, given, givenName, invalidVar, pathSetting, setting} from '../vars.js'

export interface SlurmPartition {
  default: boolean
  maxTime: string
  name: string
  nodes: string
}

/** Where setup_slurm puts the MUNGE key and which ports the daemons listen on: fixed, read by the role and its suite. */
export const SLURM_FIXED = {mungeKey: '/etc/munge/munge.key', slurmctldPort: 6817, slurmdPort: 6818} as const

/** The `slurm` inventory dict (and cluster_name), with the role's defaults. */
export interface SlurmSettings {
  clusterName: string
  /** RealMemory = MemTotal less this share, so a node is never `inval` for memory. */
  memoryMarginPercent: number
  /** Directories every Slurm host gets (slurm:slurm 0755): the original's slurm.local_directories. */
  localDirs: string[]
  /** Shared NFS directory for controller state and HPC software; local state without it. */
  nfsBasePath?: string
  partitions: SlurmPartition[]
  proctrackType: string
  /** Absolute directories on the shared NFS mount the first controller creates. */
  sharedDirs: string[]
}

/** The original cluster's partitions: `general` (the default) and `debug`, both on every node. */
const PARTITIONS = [{default: true, name: 'general'}, {name: 'debug'}]

function partition(entry: unknown, host: string): SlurmPartition {
  const given = (entry ?? {}) as Record<string, unknown>
  if (typeof given.name !== 'string' || given.name === '') {
    throw new InvalidInputError(`slurm.partitions: every partition needs a name (${host})`)
  }
  return {
    default: given.default === true,
    maxTime: typeof given.max_time === 'string' ? given.max_time : 'INFINITE',
    name: given.name,
    nodes: typeof given.nodes === 'string' ? given.nodes : 'ALL',
  }
}

export function slurmSettings(vars: Vars): SlurmSettings {
  const host = vars.inventory_hostname as string
  const margin = setting(vars, 'slurm.real_memory_margin_percent', 2)
  if (margin < 0 || margin >= 50) {
    throw new InvalidInputError(`slurm.real_memory_margin_percent must be from 0 to 49, not ${margin} (${host})`)
  }
  const base = givenName(vars, ['slurm.nfs_base_path', 'slurm_nfs_base_path'])
  const nfsBasePath = base === undefined ? undefined : pathSetting(vars, base, '/')
  return {
    clusterName: clusterName(vars),
    localDirs: paths(vars, 'slurm.local_directories', (dir) => dir),
    memoryMarginPercent: margin,
    ...(nfsBasePath === undefined ? {} : {nfsBasePath}),
    partitions: setting(vars, 'slurm.partitions', PARTITIONS as unknown[]).map((entry) => partition(entry, host)),
    proctrackType: setting(vars, 'slurm.proctrack_type', 'proctrack/cgroup'),
    sharedDirs: sharedDirs(vars, nfsBasePath),
  }
}

/** A list of absolute paths, each checked; `absolute` turns an entry into its path. */
function paths(vars: Vars, name: string, absolute: (entry: string) => string): string[] {
  return setting(vars, name, [] as unknown[]).map((entry, index) => {
    if (typeof entry !== 'string')
      throw invalidVar(vars, `${name}[${index}] must be a path, not ${JSON.stringify(entry)}`)
    return absolutePath(vars, `${name}[${index}]`, absolute(entry))
  })
}

/** slurm.shared_dirs (relative to nfs_base_path) wins over the original's slurm.shared_directories (absolute). */
function sharedDirs(vars: Vars, nfsBasePath: string | undefined): string[] {
  if (!given(vars, 'slurm.shared_dirs')) return paths(vars, 'slurm.shared_directories', (dir) => dir)
  if (nfsBasePath === undefined) return []
  return paths(vars, 'slurm.shared_dirs', (dir) => `${nfsBasePath}/${dir}`)
}
