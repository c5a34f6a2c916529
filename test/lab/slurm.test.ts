import {createHash} from 'node:crypto'
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {ConvergeReport} from '../../src/engine/results.js'

import {ensureLabUp, REPO, runCli, ssh} from '../support/lab.js'
import {labUnavailable} from '../support/lab-context.js'

const COMPUTE = ['lab1', 'lab2', 'lab3', 'lab4']
const LAB = path.join(REPO, 'inventory/lab')

const lab = (args: string[], inventory = LAB) => runCli(['-i', inventory, ...args])

async function converge(args: string[], inventory = LAB): Promise<ConvergeReport> {
  const run = await lab(['setup_slurm', '--json', ...args], inventory)
  expect(run.exitCode, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as ConvergeReport
}

function changed(report: ConvergeReport, host: string): string[] {
  return report.hosts
    .find((h) => h.host === host)!
    .resources.filter((r) => r.status === 'changed')
    .map((r) => r.id)
}

async function on(node: string, command: string): Promise<string> {
  const run = await ssh(node, command)
  expect(run.exitCode, `${node}: ${command}: ${run.stderr}`).toBe(0)
  return run.stdout.trim()
}

/**
 * `sinfo -N` until every listed node is idle and every controller answers (after a failover, srun fails until then).
 * A node whose slurmd started before the controller learnt about it registers at slurmctld's next ping
 * (SlurmdTimeout / 3 = 100 s by default).
 */
async function waitIdle(nodes: string[]): Promise<string> {
  let states = ''
  for (let attempt = 0; attempt < 150; attempt++) {
    states = await on('lab1', "sinfo -h -N -p general -o '%N %t' | sort")
    const controllers = await ssh('lab1', 'scontrol ping')
    const settled = controllers.exitCode === 0 && !controllers.stdout.includes('DOWN')
    if (settled && states === nodes.map((node) => `${node} idle`).join('\n')) return states
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  return states
}

/**
 * `srun -N <all compute> hostname`, once: setup_slurm starts the controllers before any slurmd, so the first job step
 * on fresh nodes runs (a slurmd started before its controller blocked its first launch in a registration retry).
 */
const firstJob = () => on('lab1', `set -o pipefail; srun -N ${COMPUTE.length} hostname | sort`)

const mungeStarted = (node: string) => on(node, 'systemctl show -p ActiveEnterTimestampMonotonic --value munge.service')

describe.skipIf(labUnavailable())('setup_slurm on the lab', () => {
  let scratch: string
  let first: ConvergeReport

  beforeAll(async () => {
    await ensureLabUp()
    scratch = mkdtempSync(path.join(os.tmpdir(), 'gt-slurm-lab-'))
    expect((await lab(['configure_cluster'])).exitCode).toBe(0)
    first = await converge([])
  })

  afterAll(async () => {
    await lab(['setup_slurm'])
    rmSync(scratch, {force: true, recursive: true})
  })

  it('brings every slurm_compute node to idle, and srun runs on all of them', async () => {
    expect(await waitIdle(COMPUTE)).toBe(COMPUTE.map((node) => `${node} idle`).join('\n'))
    expect((await firstJob()).split('\n')).toEqual(COMPUTE)
    for (const node of COMPUTE) expect(await on(node, 'systemctl is-active slurmd munge')).toBe('active\nactive')
    expect((await ssh('lab4', 'systemctl is-active slurmctld')).stdout).not.toBe('active')
    expect((await ssh('lab5', 'systemctl is-active slurmd')).stdout).not.toBe('active')
  })

  it('gives slurmctld the PID file slurm.conf names (the drop-in fix), and the units verify on the node', async () => {
    const unit = await on(
      'lab1',
      'systemctl show -p PIDFile --value slurmctld; systemctl show -p MainPID --value slurmctld',
    )
    const [pidFile, mainPid] = unit.split('\n')
    expect(pidFile).toBe('/run/slurm/slurmctld.pid')
    expect(await on('lab1', `cat ${pidFile}`)).toBe(mainPid)
    expect(await on('lab1', 'grep ^SlurmctldPidFile= /etc/slurm/slurm.conf')).toBe(`SlurmctldPidFile=${pidFile}`)
    const verify = await ssh(
      'lab1',
      'systemd-analyze verify --man=no slurmctld.service slurmd.service munge.service 2>&1',
    )
    expect(verify.stdout).toBe('')
  })

  it('changes nothing on a second run', async () => {
    const again = await converge([])
    expect(again.summary).toMatchObject({changed: 0, failed: 0, hosts: 5, unreachable: 0})
  })

  it('renders node lines slurmd itself agrees with: same topology, never more memory', async () => {
    const conf = await on('lab1', 'cat /etc/slurm/slurm.conf')
    for (const node of COMPUTE) {
      const line = new RegExp(`^NodeName=${node} .*$`, 'm').exec(conf)![0]
      const reported = await on(node, 'slurmd -C | head -1')
      const field = (text: string, key: string) => Number(new RegExp(`\\b${key}=(\\d+)`).exec(text)![1])
      for (const key of ['CPUs', 'CoresPerSocket', 'ThreadsPerCore'])
        expect(field(line, key), `${node} ${key}`).toBe(field(reported, key))
      expect(field(line, 'Sockets'), node).toBe(field(reported, 'SocketsPerBoard'))
      expect(field(line, 'RealMemory'), node).toBeLessThanOrEqual(field(reported, 'RealMemory'))
      expect(field(line, 'RealMemory'), node).toBeGreaterThan(field(reported, 'RealMemory') * 0.9)
    }
  })

  it('installs the MUNGE key from the secret store, 0400 munge:munge, identical everywhere, never printed', async () => {
    const key = readFileSync(path.join(LAB, '.goldentooth/secrets/munge.key'))
    const sha = createHash('sha256').update(key).digest('hex')
    for (const node of COMPUTE) {
      expect(
        await on(node, 'sha256sum /etc/munge/munge.key | cut -d" " -f1; stat -c "%a %U %G" /etc/munge/munge.key'),
      ).toBe(`${sha}\n400 munge munge`)
    }
    expect(JSON.stringify(first)).not.toContain(key.toString('base64').slice(0, 24))
  })

  it('restarts munge only where the key changed, and shows that change masked', async () => {
    const before = new Map(await Promise.all(COMPUTE.map(async (node) => [node, await mungeStarted(node)] as const)))
    await on('lab2', 'head -c 1024 /dev/urandom > /etc/munge/munge.key')
    const check = await lab(['setup_slurm', '--check', '--diff', '--json'])
    const planned = (JSON.parse(check.stdout) as ConvergeReport).hosts.find((h) => h.host === 'lab2')!.resources
    const keyChange = planned.find((r) => r.id === 'file:/etc/munge/munge.key')!
    expect(keyChange).toMatchObject({reasons: ['secret content differs'], status: 'would-change'})
    expect(keyChange.diff).toBeUndefined()
    const fix = await converge([])
    expect(changed(fix, 'lab2')).toEqual(['file:/etc/munge/munge.key', 'handler:restart@munge.service'])
    for (const node of ['lab1', 'lab3', 'lab4']) expect(changed(fix, node)).toEqual([])
    for (const node of COMPUTE) {
      const now = await mungeStarted(node)
      if (node === 'lab2') expect(now).not.toBe(before.get(node))
      else expect(now).toBe(before.get(node))
    }
    expect((await on('lab1', 'srun -N 4 hostname | sort')).split('\n')).toEqual(COMPUTE)
  })

  it('stops and disables slurmd on a host taken out of slurm_compute', async () => {
    const inventory = path.join(scratch, 'inventory')
    cpSync(LAB, inventory, {recursive: true})
    const hosts = path.join(inventory, 'hosts.yaml')
    const compute =
      '        slurm_compute:\n          hosts:\n            lab1:\n            lab2:\n            lab3:\n            lab4:\n'
    const text = readFileSync(hosts, 'utf8')
    expect(text).toContain(compute)
    writeFileSync(hosts, text.replace(compute, compute.replace('            lab4:\n', '')))
    const shrunk = await converge([], inventory)
    expect(changed(shrunk, 'lab4')).toEqual(['service:slurmd.service', 'service:munge.service'])
    expect(await on('lab4', 'systemctl is-enabled slurmd; systemctl is-active slurmd || true')).toBe(
      'disabled\ninactive',
    )
    expect(await waitIdle(['lab1', 'lab2', 'lab3'])).toBe('lab1 idle\nlab2 idle\nlab3 idle')

    const restored = await converge([])
    expect(changed(restored, 'lab4')).toContain('service:slurmd.service')
    expect(await waitIdle(COMPUTE)).toBe(COMPUTE.map((node) => `${node} idle`).join('\n'))
  }, 400_000)
})
