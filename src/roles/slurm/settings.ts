import type {Vars} from '../../inventory/model.js'

import {InvalidInputError} from '../../cli/errors.js'
import {setting} from '../vars.js'

export interface SlurmPartition {
  default: boolean
  maxTime: string
  name: string
  nodes: string
}

/** The `slurm` inventory dict (and cluster_name), with the role's defaults. */
export interface SlurmSettings {
  clusterName: string
  /** RealMemory = MemTotal less this share, so a node is never `inval` for memory. */
  memoryMarginPercent: number
  /** Shared NFS directory for controller state and HPC software; local state without it. */
  nfsBasePath?: string
  partitions: SlurmPartition[]
  proctrackType: string
  /** Directories under nfsBasePath the first controller creates. */
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
  const nfsBasePath = setting(vars, 'slurm.nfs_base_path', '')
  return {
    clusterName: setting(vars, 'cluster_name', 'goldentooth'),
    memoryMarginPercent: margin,
    ...(nfsBasePath === '' ? {} : {nfsBasePath}),
    partitions: setting(vars, 'slurm.partitions', PARTITIONS as unknown[]).map((entry) => partition(entry, host)),
    proctrackType: setting(vars, 'slurm.proctrack_type', 'proctrack/cgroup'),
    sharedDirs: setting(vars, 'slurm.shared_dirs', [] as string[]),
  }
}
