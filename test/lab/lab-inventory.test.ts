import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {InvalidInputError, UsageError} from '../../src/core/errors.js'
import {loadInventory} from '../../src/inventory/load.js'
import {
  checkNodeCount,
  labGroupVarsYaml,
  labHostsYaml,
  labNodes,
  layoutNodes,
  writeGeneratedInventory,
} from '../../src/lab/lab-inventory.js'
import {REPO} from '../support/lab.js'

const tmp = mkdtempSync(path.join(tmpdir(), 'gt-lab-inventory-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))

const LAB_INVENTORY = path.join(REPO, 'inventory/lab')

describe('inventory/lab', () => {
  it('is the generated five-node layout', () => {
    expect(readFileSync(path.join(LAB_INVENTORY, 'hosts.yaml'), 'utf8')).toBe(labHostsYaml(5))
    expect(readFileSync(path.join(LAB_INVENTORY, 'group_vars/all.yaml'), 'utf8')).toBe(labGroupVarsYaml())
  })

  it('gives lab1-lab5 their addresses and the real goldentooth groups', async () => {
    const inventory = await loadInventory(LAB_INVENTORY)
    expect(labNodes(inventory)).toEqual(layoutNodes(5))
    expect(layoutNodes(5).map((node) => node.address)).toEqual([
      '10.77.0.11',
      '10.77.0.12',
      '10.77.0.13',
      '10.77.0.14',
      '10.77.0.15',
    ])
    const server = ['all_nodes', 'all_non_pis', 'consul', 'consul_server', 'nomad', 'nomad_client', 'nomad_server']
    const slurmServer = ['slurm', 'slurm_compute', 'slurm_controller', 'vault']
    for (const host of ['lab1', 'lab2', 'lab3'])
      expect(inventory.groupNames(host)).toEqual([...server, ...slurmServer].sort())
    expect(inventory.groupNames('lab4')).toEqual(
      [
        'all_nodes',
        'all_non_pis',
        'consul',
        'consul_client',
        'nfs_server',
        'nomad',
        'nomad_client',
        'slurm',
        'slurm_compute',
        'step_ca',
        'zfs',
      ].sort(),
    )
    expect(inventory.groupNames('lab5')).toEqual(
      [
        'all_nodes',
        'all_non_pis',
        'consul',
        'consul_client',
        'k8s_cluster',
        'k8s_worker',
        'k8s_worker_gpu',
        'nomad',
        'nomad_client',
        'nomad_client_gpu',
        'ray',
        'ray_worker',
        'ray_worker_gpu',
      ].sort(),
    )
  })

  it('tells goldentooth and Ansible how to reach a node through its socket', async () => {
    const vars = (await loadInventory(LAB_INVENTORY)).hostVars('lab3')
    expect(vars).toMatchObject({
      ansible_host: '10.77.0.13',
      ansible_user: 'root',
      goldentooth_lab: true,
      ansible_ssh_private_key_file: '/var/lib/goldentooth/lab/id_ed25519',
      goldentooth_ssh_socket: '/run/goldentooth/lab/ssh/%h.sock',
      ansible_ssh_common_args:
        '-o UserKnownHostsFile=/var/lib/goldentooth/lab/known_hosts -o ProxyCommand="socat - UNIX-CONNECT:/run/goldentooth/lab/ssh/%h.sock"',
    })
  })
})

describe('the generated inventory (lab up --nodes N)', () => {
  it('adds workers lab6… in the worker groups only', async () => {
    const dir = path.join(tmp, 'twenty')
    writeGeneratedInventory(20, dir)
    const inventory = await loadInventory(dir)
    expect(labNodes(inventory)).toEqual(layoutNodes(20))
    expect(layoutNodes(20).at(-1)).toEqual({name: 'lab20', address: '10.77.0.30'})
    expect(inventory.groupNames('lab6')).toEqual(
      ['all_nodes', 'all_non_pis', 'consul', 'consul_client', 'nomad', 'nomad_client', 'slurm', 'slurm_compute'].sort(),
    )
    expect(inventory.groupHosts('step_ca')).toEqual(['lab4'])
    expect(inventory.groupHosts('slurm_compute')).toHaveLength(19)
    expect(inventory.hostVars('lab17').goldentooth_lab).toBe(true)
    const shipped = await loadInventory(LAB_INVENTORY)
    expect(inventory.hostVars('lab3').slurm).toEqual(shipped.hostVars('lab3').slurm)
  })

  it('accepts 1 to 50 nodes', () => {
    expect(() => checkNodeCount(50)).not.toThrow()
    expect(() => checkNodeCount(0)).toThrow(UsageError)
    expect(() => checkNodeCount(51)).toThrow('--nodes must be between 1 and 50, not 51')
  })
})

describe('labNodes', () => {
  async function nodesOf(hostsYaml: string): Promise<unknown> {
    const file = path.join(tmp, `hosts-${Math.random().toString(36).slice(2)}.yaml`)
    writeFileSync(file, hostsYaml)
    return labNodes(await loadInventory(file))
  }

  it('refuses a host outside the lab network, pointing at its ansible_host', async () => {
    const error = await nodesOf('all:\n  hosts:\n    allyrion:\n      ansible_host: 10.4.0.10\n').catch(
      (err: unknown) => err,
    )
    expect(error).toBeInstanceOf(InvalidInputError)
    expect((error as InvalidInputError).message).toMatch(
      /hosts-\w+\.yaml:4:7: host allyrion: ansible_host 10\.4\.0\.10 is not a lab address \(10\.77\.0\.2 to 10\.77\.0\.254\)$/,
    )
    expect((error as InvalidInputError).exitCode).toBe(3)
  })

  it('refuses two hosts on one address and a host without an address', async () => {
    await expect(
      nodesOf('all:\n  hosts:\n    a:\n      ansible_host: 10.77.0.20\n    b:\n      ansible_host: 10.77.0.20\n'),
    ).rejects.toThrow("host b: ansible_host 10.77.0.20 is also a's")
    await expect(nodesOf('all:\n  hosts:\n    a:\n')).rejects.toThrow(
      'host a: ansible_host undefined is not a lab address',
    )
  })
})
