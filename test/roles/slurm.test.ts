import {cpSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import type {Facts} from '../../src/engine/facts.js'
import type {PrepareContext} from '../../src/engine/role.js'

import {slurmConfProblems} from '../../src/engine/validate-slurm.js'
import {assumedFacts} from '../../src/engine/facts.js'
import {renderRole} from '../../src/engine/render.js'
import {loadInventory} from '../../src/inventory/load.js'
import {slurmRole as role} from '../../src/roles/slurm/role.js'
import {realMemory} from '../../src/roles/slurm/nodes.js'
import {expectGoldens} from './golden.js'

const operator = {publicKeys: []}
const render = async (inventoryPath: string, hosts: string[]) =>
  renderRole(role, await loadInventory(inventoryPath), hosts, {operator, stateDir: '/nonexistent'})
const fileOf = (host: {files: Array<{content: Buffer; path: string}>}, file: string) =>
  host.files.find((f) => f.path === file)?.content.toString('utf8')

const scratch = mkdtempSync(path.join(os.tmpdir(), 'gt-slurm-'))
afterAll(() => rmSync(scratch, {force: true, recursive: true}))

describe('setup_slurm renders', () => {
  it('for a Pi 4B 8 GB, a Pi 4B 4 GB, a Pi 5 and the GPU node of the real cluster', async () => {
    const rendered = await render('inventory', ['bettley', 'karstark', 'manderly', 'velaryon'])
    await expectGoldens('slurm', rendered)
    const conf = fileOf(rendered[0]!, '/etc/slurm/slurm.conf')!
    expect(slurmConfProblems(conf)).toEqual([])
    expect(conf.match(/^SlurmctldHost=/gm)).toHaveLength(3)
    expect(conf.match(/^NodeName=/gm)).toHaveLength(15)
    expect(conf).toMatch(/^NodeName=karstark NodeAddr=10\.4\.0\.20 CPUs=4 .* RealMemory=3721 /m)
    expect(conf).toContain('StateSaveLocation=/mnt/nfs/slurm/var/spool/slurm/ctld')
    for (const host of rendered.slice(1, 3)) expect(fileOf(host, '/etc/slurm/slurm.conf')).toBe(conf)
    expect(rendered[1]!.plan).toContain('service:slurmd.service')
    expect(rendered[1]!.plan).not.toContain('directory:/var/lib/slurm/slurmctld')
    expect(rendered[3]!.plan).toEqual(['service:slurmd.service', 'service:slurmctld.service', 'service:munge.service'])
  })

  it('for the lab: local state, processes tracked through /proc', async () => {
    const rendered = await render('inventory/lab', ['lab1', 'lab4'])
    await expectGoldens('slurm', rendered)
    const conf = fileOf(rendered[0]!, '/etc/slurm/slurm.conf')!
    expect(conf).toContain('StateSaveLocation=/var/lib/slurm/slurmctld')
    expect(conf).toContain('ProctrackType=proctrack/linuxproc')
  })

  it('never claims more memory than the node has (the original hard-coded 4096 on 3797 MB boards)', () => {
    expect(realMemory(3797, 2)).toBe(3721)
    expect(realMemory(24_105, 0)).toBe(24_105)
    expect(realMemory(8052, 2)).toBeLessThan(8052)
  })

  it('installs the MUNGE key from the secret store, 0400 munge:munge, before the package that would make its own', async () => {
    const [bettley] = await render('inventory', ['bettley'])
    const key = bettley!.files.find((f) => f.path === '/etc/munge/munge.key')!
    expect(key).toMatchObject({group: 'munge', mode: 0o400, owner: 'munge', secret: true})
    expect(key.content.toString()).toBe('<secret: not rendered>\n')
    const plan = bettley!.plan
    expect(plan.indexOf('file:/etc/munge/munge.key')).toBeLessThan(
      plan.indexOf('package:munge,slurm-client,slurmctld,slurmd'),
    )
  })

  it('gives a GPU compute node Gres and a gres.conf, from its detected GPUs', async () => {
    const copy = path.join(scratch, 'gpu-inventory')
    cpSync('inventory', copy, {recursive: true})
    const hosts = path.join(copy, 'hosts.yaml')
    const original = (await import('node:fs')).readFileSync(hosts, 'utf8')
    writeFileSync(
      hosts,
      original.replace('            payne:\n    ray:', '            payne:\n            velaryon:\n    ray:'),
    )
    const rendered = await render(copy, ['velaryon'])
    const conf = fileOf(rendered[0]!, '/etc/slurm/slurm.conf')!
    expect(conf).toMatch(/^GresTypes=gpu$/m)
    expect(conf).toMatch(
      /^NodeName=velaryon NodeAddr=10\.4\.0\.30 CPUs=24 Sockets=1 CoresPerSocket=12 ThreadsPerCore=2 RealMemory=31370 Gres=gpu:1 /m,
    )
    expect(fileOf(rendered[0]!, '/etc/slurm/gres.conf')).toContain('NodeName=velaryon Name=gpu File=/dev/nvidia0')
    expect(slurmConfProblems(conf)).toEqual([])
  })
})

describe('setup_slurm refuses', () => {
  it('a compute group without a controller, at plan time', async () => {
    const inventory = await loadInventory('inventory')
    const withoutControllers = {
      ...inventory,
      groupHosts: (g: string) => (g === 'slurm_controller' ? [] : inventory.groupHosts(g)),
    }
    expect(role.check!({hosts: [], inventory: withoutControllers})).toEqual([
      {level: 'error', message: 'slurm_compute has hosts but slurm_controller is empty: name a controller'},
    ])
    expect(role.check!({hosts: [], inventory}).map((f) => f.level)).toEqual(['warning'])
  })

  it('to write slurm.conf when a compute node could not be probed, naming it', async () => {
    const inventory = await loadInventory('inventory/lab')
    const probed = (host: string): Facts => ({...assumedFacts(host, {}), assumed: host === 'lab3'})
    const context = {factsOf: probed, hosts: ['lab1'], inventory} as unknown as PrepareContext
    await expect(role.prepare!(context)).rejects.toThrow(/lab3 could not be probed: nothing was changed/)
  })
})
