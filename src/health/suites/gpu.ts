import type {HostCheck, Suite} from '../model.js'

import {parseNvidiaSmi} from '../../engine/facts.js'
import {fail, firstLine, pass, probeProblem} from '../verdict.js'

export const GPU_GROUPS = ['k8s_worker_gpu', 'nomad_client_gpu', 'ray_worker_gpu']

const QUERY = 'nvidia-smi --query-gpu=index,name,memory.total,uuid,driver_version --format=csv,noheader,nounits'

const driver: HostCheck = {
  evaluate: ({result}) => {
    const expected = 'nvidia-smi lists at least one GPU'
    const problem = probeProblem(result, 'nvidia-smi')
    if (problem || !result) {
      return [
        fail(
          'nvidia_smi',
          expected,
          problem ?? 'no result',
          'install the NVIDIA driver and utilities for the running kernel',
        ),
      ]
    }
    const output = `${result.stdout}\n${result.stderr}`
    if (/NVIDIA-SMI has failed|couldn't communicate with the NVIDIA driver/.test(output)) {
      return [
        fail(
          'nvidia_smi',
          expected,
          firstLine({...result, stderr: '', stdout: output.trim()}),
          'the driver is not loaded: dkms status; rebuild it for this kernel (or boot the kernel it was built for), then modprobe nvidia',
        ),
      ]
    }
    const gpus = result.exitCode === 0 ? parseNvidiaSmi(result.stdout) : []
    if (gpus.length === 0)
      return [
        fail('nvidia_smi', expected, firstLine(result) || 'no GPU listed', 'lspci -d 10de:; dmesg | grep -i nvidia'),
      ]
    const describe = gpus.map((gpu) => `${gpu.name}${gpu.memoryMb ? ` (${gpu.memoryMb} MiB)` : ''}`).join(', ')
    return [
      pass('nvidia_smi', expected, `${gpus.length} GPU: ${describe}, driver ${gpus[0]?.driverVersion ?? 'unknown'}`),
    ]
  },
  groups: GPU_GROUPS,
  name: 'nvidia_smi',
  probe: () => ({script: QUERY}),
  summary: 'nvidia-smi talks to the driver and lists the GPUs',
}

export const GPU: Suite = {
  clusterChecks: [],
  hostChecks: [driver],
  name: 'gpu',
  summary: 'The NVIDIA driver answers on every host of a GPU group (k8s_worker_gpu, nomad_client_gpu, ray_worker_gpu).',
}
