import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {
  assumedFacts,
  factsFromProbe,
  NVIDIA_SMI_FIELDS,
  parseLspciGpus,
  parseNvidiaSmi,
} from '../../src/engine/facts.js'
import {probeScript} from '../../src/engine/remote/probe-script.js'
import {probeSpecFor} from '../../src/engine/probe-spec.js'

const sample = (name: string) =>
  readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'nvidia-smi', name), 'utf8')

describe('parseNvidiaSmi on recorded real output', () => {
  it('finds the columns by name in a full --format=csv capture (GeForce RTX 2080 SUPER, driver 595.71.05)', () => {
    expect(parseNvidiaSmi(sample('linux-x86_64__nvidia-geforce-rtx-2080-super__595.71.05.csv'))).toEqual([
      {
        driverVersion: '595.71.05',
        index: 0,
        memoryMb: 8192,
        name: 'NVIDIA GeForce RTX 2080 SUPER',
        uuid: 'GPU-00000000-0000-0000-0000-000000000000',
      },
    ])
  })

  it('reads a datacenter GPU with a different column set (H100 80GB HBM3, driver 590.48.01)', () => {
    expect(parseNvidiaSmi(sample('linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.csv'))).toEqual([
      {
        driverVersion: '590.48.01',
        index: 0,
        memoryMb: 81559,
        name: 'NVIDIA H100 80GB HBM3',
        uuid: 'GPU-00000000-0000-0000-0000-000000000000',
      },
    ])
  })

  it('reads noheader,nounits output when told the fields (GeForce RTX 2080, driver 440.64, gpu_uuid alias)', () => {
    const fields = [
      'power.limit',
      'power.min_limit',
      'power.max_limit',
      'memory.total',
      'vbios_version',
      'driver_version',
      'name',
      'gpu_uuid',
      'power.draw',
      'temperature.gpu',
      'temperature.memory',
      'clocks.current.graphics',
      'clocks.sm',
      'clocks.mem',
      'utilization.gpu',
      'utilization.memory',
      'fan.speed',
      'pcie.link.width.current',
      'pstate',
    ]
    expect(parseNvidiaSmi(sample('ricks-lab-gpu-utils-83__geforce-rtx-2080__440.64.csv'), fields)).toEqual([
      {
        driverVersion: '440.64',
        index: 0,
        memoryMb: 7979,
        name: 'GeForce RTX 2080',
        uuid: 'GPU-22b2c6ac-2d49-4863-197c-9c469071178a',
      },
    ])
  })

  it('finds no GPU when the driver is not loaded, or when there is no output', () => {
    expect(parseNvidiaSmi(sample('driver-not-loaded.txt'))).toEqual([])
    expect(parseNvidiaSmi('')).toEqual([])
  })

  it('is what the probe asks for: --format=csv with a header', () => {
    const script = probeScript(probeSpecFor([]))
    expect(script).toContain(`--query-gpu=${NVIDIA_SMI_FIELDS.join(',')} --format=csv,nounits`)
  })
})

describe('parseLspciGpus', () => {
  it('counts the display controllers of two RTX 3090s, not their audio functions or driver lines', () => {
    expect(parseLspciGpus(sample('lspci-nnk__2x-geforce-rtx-3090.txt'))).toEqual([
      '05:00.0 NVIDIA Corporation GA102 [GeForce RTX 3090] [10de:2204] (rev a1)',
      '0a:00.0 NVIDIA Corporation GA102 [GeForce RTX 3090] [10de:2204] (rev a1)',
    ])
  })

  it('feeds the probe facts: GPUs seen on the bus without a working driver', () => {
    const facts = factsFromProbe(
      new Map([
        ['nvidia_smi', sample('driver-not-loaded.txt')],
        ['lspci_gpus', sample('lspci-nnk__2x-geforce-rtx-3090.txt')],
      ]),
    )
    expect(facts.gpus).toEqual([])
    expect(facts.pciGpus).toHaveLength(2)
  })
})

describe('assumedFacts', () => {
  it("turns the inventory's GPU entries (model, memory_mb) into GPU facts", () => {
    const facts = assumedFacts('velaryon', {
      assumed_facts: {gpus: [{memory_mb: 8192, model: 'GeForce RTX 2070 SUPER', vendor: 'nvidia'}]},
    })
    expect(facts.gpus).toEqual([{index: 0, memoryMb: 8192, name: 'GeForce RTX 2070 SUPER'}])
  })
})
