import {describe, expect, it} from 'vitest'

import type {Facts} from '../../src/engine/facts.js'

import {assumedFacts, parseNvidiaSmi} from '../../src/engine/facts.js'
import {renderRole} from '../../src/engine/render.js'
import {loadInventory} from '../../src/inventory/load.js'
import {gpuRole as role} from '../../src/roles/gpu/role.js'
import {gpuProfile} from '../../src/roles/gpu/profile.js'
import {expectGoldens} from './golden.js'

const inventory = await loadInventory('inventory')
const facts = (host: string, change: Partial<Facts> = {}): Facts => ({
  ...assumedFacts(host, inventory.hostVars(host)),
  ...change,
})
const RTX_2070 = parseNvidiaSmi('0, NVIDIA GeForce RTX 2070 SUPER, 8192, GPU-0, 575.51.03')

describe('setup_gpu renders', () => {
  it('the GPU facts file on velaryon and nothing on the Pis', async () => {
    const rendered = renderRole(role, inventory, ['bettley', 'karstark', 'manderly', 'velaryon'], {
      operator: {publicKeys: []},
      stateDir: '/nonexistent',
    })
    await expectGoldens('gpu', rendered)
    expect(rendered.map((host) => host.warnings)).toEqual([[], [], [], []])
    expect(rendered[0]!.plan).toEqual(['absent:/etc/goldentooth/gpu.json'])
  })
})

describe('gpuProfile', () => {
  it('publishes Slurm Gres, the Nomad node class and device plugin for a GPU-group host with a working driver', () => {
    expect(gpuProfile(inventory, 'velaryon', facts('velaryon', {gpus: RTX_2070}))).toMatchObject({
      count: 1,
      devices: ['/dev/nvidia0'],
      nodeClass: 'gpu',
      nomadDevicePlugin: true,
      slurmGres: 'gpu:1',
      usable: true,
      warnings: [],
    })
  })

  it('warns about a GPU-group host without a GPU (the lab’s lab5) and keeps GPU features off', () => {
    const profile = gpuProfile(inventory, 'velaryon', facts('velaryon', {gpus: [], pciGpus: []}))
    expect(profile).toMatchObject({nodeClass: 'default', nomadDevicePlugin: false, usable: false})
    expect(profile.warnings).toEqual([
      'in k8s_worker_gpu, nomad_client_gpu, ray_worker_gpu but no NVIDIA GPU was found (nvidia-smi and lspci): GPU features stay off',
    ])
  })

  it('warns about a GPU host outside the GPU groups', () => {
    const profile = gpuProfile(inventory, 'bettley', facts('bettley', {gpus: RTX_2070}))
    expect(profile.usable).toBe(false)
    expect(profile.warnings[0]).toMatch(/^has 1 NVIDIA GPU\(s\) but is in no GPU group/)
  })

  it('warns when GPUs are on the PCI bus but the driver reports none, and counts them from lspci', () => {
    const profile = gpuProfile(inventory, 'velaryon', facts('velaryon', {gpus: [], pciGpus: ['01:00.0 NVIDIA TU104']}))
    expect(profile).toMatchObject({count: 1, driverMissing: true, usable: false})
    expect(profile.warnings).toEqual([
      '1 NVIDIA GPU(s) on the PCI bus but nvidia-smi reports none: install the driver (gpu_packages) to use them',
    ])
  })
})
