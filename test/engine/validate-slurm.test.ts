import {describe, expect, it} from 'vitest'

import {slurmConfProblems} from '../../src/engine/validate-slurm.js'

const GOOD = `ClusterName=goldentooth
SlurmctldHost=lab1(10.77.0.11)
AuthType=auth/munge
GresTypes=gpu
NodeName=lab1 NodeAddr=10.77.0.11 CPUs=2 Sockets=1 CoresPerSocket=2 ThreadsPerCore=1 RealMemory=23622 State=UNKNOWN
NodeName=gpu1 NodeAddr=10.77.0.15 CPUs=24 Sockets=1 CoresPerSocket=12 ThreadsPerCore=2 RealMemory=31370 Gres=gpu:1
PartitionName=DEFAULT MaxTime=INFINITE State=UP
PartitionName=general Nodes=ALL Default=YES MaxTime=INFINITE
PartitionName=gpu Nodes=gpu1 MaxTime=INFINITE
`

describe('slurmConfProblems', () => {
  it('accepts a consistent file', () => {
    expect(slurmConfProblems(GOOD)).toEqual([])
  })

  it('names every line Slurm would refuse or silently reset', () => {
    const bad = GOOD.replace('ClusterName=goldentooth\n', '')
      .replace('GresTypes=gpu\n', '')
      .replace('CPUs=2 Sockets=1', 'CPUs=4 Sockets=1')
      .replace('RealMemory=31370', 'RealMemory=31G')
      .replace('Nodes=gpu1', 'Nodes=gpu2')
      .replace('PartitionName=gpu Nodes', 'PartitionName=gpu Default=YES Nodes')
      .concat('NodeName=lab1 CPUs=2\nbroken line\n')
    expect(slurmConfProblems(bad)).toEqual([
      "line 9: 'broken' is not Key=Value",
      "line 9: 'line' is not Key=Value",
      'ClusterName is not set',
      'line 3 (lab1): CPUs=4 but Sockets × CoresPerSocket × ThreadsPerCore = 2',
      'line 4 (gpu1): RealMemory=31G is not a positive whole number',
      'line 4 (gpu1): Gres=gpu:1 but GresTypes does not list gpu',
      'line 8 (lab1): node defined twice',
      'line 7: partition names unknown node gpu2',
      'more than one default partition (lines 6, 7)',
    ])
  })
})
