import type {Facts, Gpu} from '../../engine/facts.js'
import type {Inventory} from '../../inventory/model.js'

/**
 * What a host's GPUs mean to the other roles: Slurm's Gres and gres.conf, Nomad's node_class and device plugin. GPU
 * features are on only where the inventory (a *_gpu group) and the hardware agree; every disagreement is a warning.
 */
export interface GpuProfile {
  /** GPUs the driver reports, or (no working driver) NVIDIA display controllers on the PCI bus. */
  count: number
  /** /dev/nvidiaN of each GPU, for Slurm's gres.conf (empty unless usable). */
  devices: string[]
  /** GPUs are on the PCI bus but nvidia-smi reports none: the driver is missing or broken. */
  driverMissing: boolean
  gpus: Gpu[]
  inGpuGroups: boolean
  /** Nomad client node_class. */
  nodeClass: 'default' | 'gpu'
  /** Run Nomad's NVIDIA device plugin. */
  nomadDevicePlugin: boolean
  /** Slurm `Gres=` of the node line (`gpu:1`), when usable. */
  slurmGres?: string
  /** The inventory and the hardware agree and the driver works. */
  usable: boolean
  warnings: string[]
}

/** The GPU groups of the original cluster (k8s_worker_gpu, nomad_client_gpu, ray_worker_gpu): names ending in _gpu. */
export function gpuGroupsOf(inventory: Inventory, host: string): string[] {
  return inventory.groupNames(host).filter((group) => group.endsWith('_gpu'))
}

export function gpuProfile(inventory: Inventory, host: string, facts: Facts): GpuProfile {
  const groups = gpuGroupsOf(inventory, host)
  const inGpuGroups = groups.length > 0
  const driverMissing = facts.gpus.length === 0 && facts.pciGpus.length > 0
  const count = facts.gpus.length > 0 ? facts.gpus.length : facts.pciGpus.length
  const warnings: string[] = []
  if (inGpuGroups && count === 0) {
    warnings.push(`in ${groups.join(', ')} but no NVIDIA GPU was found (nvidia-smi and lspci): GPU features stay off`)
  }
  if (!inGpuGroups && count > 0) {
    warnings.push(
      `has ${count} NVIDIA GPU(s) but is in no GPU group (k8s_worker_gpu, nomad_client_gpu, ray_worker_gpu): GPU features stay off`,
    )
  }
  if (inGpuGroups && driverMissing) {
    warnings.push(
      `${count} NVIDIA GPU(s) on the PCI bus but nvidia-smi reports none: install the driver (gpu_packages) to use them`,
    )
  }
  const usable = inGpuGroups && facts.gpus.length > 0
  return {
    count,
    devices: usable ? facts.gpus.map((gpu) => `/dev/nvidia${gpu.index}`) : [],
    driverMissing,
    gpus: facts.gpus,
    inGpuGroups,
    nodeClass: usable ? 'gpu' : 'default',
    nomadDevicePlugin: usable,
    ...(usable ? {slurmGres: `gpu:${facts.gpus.length}`} : {}),
    usable,
    warnings,
  }
}
