import type {Resource} from '../../engine/resources.js'
import type {Role} from '../../engine/role.js'
import type {GpuProfile} from './profile.js'

import {directory, file, packages} from '../../engine/resources.js'
import {setting} from '../vars.js'
import meta from './meta.js'
import {gpuProfile} from './profile.js'

export const GPU_FACTS_PATH = '/etc/goldentooth/gpu.json'

/** The host's GPU facts as other tools on it read them (health checks, job wrappers). */
export function gpuFactsJson(profile: GpuProfile): string {
  const facts = {
    count: profile.gpus.length,
    gpus: profile.gpus.map((gpu) => ({
      driver_version: gpu.driverVersion ?? null,
      index: gpu.index,
      memory_mb: gpu.memoryMb ?? null,
      name: gpu.name,
      uuid: gpu.uuid ?? null,
    })),
    node_class: profile.nodeClass,
    nomad_device_plugin: profile.nomadDevicePlugin,
    slurm_gres: profile.slurmGres ?? null,
  }
  return `${JSON.stringify(facts, null, 2)}\n`
}

export const gpuRole: Role = {
  description:
    'Runs on every host so that a GPU outside the GPU groups is noticed. Installs only the packages listed in ' +
    'gpu_packages (nothing by default), on GPU-group hosts that have an NVIDIA GPU.',
  hosts: 'all',
  name: meta.name,
  plan(context) {
    const profile = gpuProfile(context.inventory, context.host, context.facts)
    for (const warning of profile.warnings) context.warn(warning)
    const resources: Resource[] = []
    const wanted = setting(context.vars, 'gpu_packages', [] as string[])
    if (profile.inGpuGroups && profile.count > 0 && wanted.length > 0) resources.push(packages(wanted))
    if (!profile.usable) return [...resources, {kind: 'absent', path: GPU_FACTS_PATH}]
    return [...resources, directory('/etc/goldentooth'), file(GPU_FACTS_PATH, gpuFactsJson(profile))]
  },
  summary: meta.summary,
}
