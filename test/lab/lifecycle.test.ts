import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {execa} from 'execa'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {loadInventory} from '../../src/inventory/load.js'
import {labDown} from '../../src/lab/down.js'
import {labStatus} from '../../src/lab/status.js'
import {labUp} from '../../src/lab/up.js'
import {layoutNodes} from '../../src/lab/lab-inventory.js'
import {namespaceExists} from '../../src/lab/network.js'
import {LAB_KNOWN_HOSTS, LAB_RUN_DIR, LAB_STATE_FILE, NETNS} from '../../src/lab/paths.js'
import {isAlive, processesUsing, type ProcessRef} from '../../src/lab/processes.js'
import {mountsUnder} from '../../src/lab/mounts.js'
import {readState} from '../../src/lab/state.js'
import {ensureLabUp, LAB_NODE_NAMES, runCli, ssh} from '../support/lab.js'
import {labUnavailable} from '../support/lab-context.js'

interface UpReport {
  started: string[]
  alreadyRunning: string[]
  nodes: Array<{name: string; pid: number | null; state: string}>
}

function pids(report: UpReport): Record<string, number | null> {
  return Object.fromEntries(report.nodes.map((node) => [node.name, node.pid]))
}

/** Every process the lab's state records: node containers, forwarders and the apt proxy. */
function recordedProcesses(): ProcessRef[] {
  const state = readState()
  const nodes = Object.values(state?.nodes ?? {}).flatMap((node) => [node.nspawn, node.forwarder])
  const proxy = state?.aptProxy
  return [...nodes, proxy?.cacher, proxy?.hostForwarder, proxy?.labForwarder].filter(
    (ref): ref is ProcessRef => ref !== undefined,
  )
}

function knownHostLine(address: string): string | undefined {
  return readFileSync(LAB_KNOWN_HOSTS, 'utf8')
    .split('\n')
    .find((line) => line.startsWith(`${address} `))
}

/** Host pids of the systemd that is PID 1 of a container whose hostname is `name`: one per running node. */
function containerInits(name: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const nspid = /^NSpid:\s+(.*)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]?.split(/\s+/)
        return nspid?.at(-1) === '1' && readFileSync(`/proc/${pid}/root/etc/hostname`, 'utf8').trim() === name
      } catch {
        return false
      }
    })
    .map(Number)
}

async function waitUntilDead(ref: ProcessRef): Promise<void> {
  for (let i = 0; i < 100 && isAlive(ref); i++) await sleep(100)
  expect(isAlive(ref)).toBe(false)
}

const tmp = mkdtempSync(path.join(tmpdir(), 'gt-lab-lifecycle-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))

describe.skipIf(labUnavailable())('lab lifecycle', () => {
  beforeAll(async () => {
    await ensureLabUp()
  })

  it('lab up twice leaves the same lab: the same processes', async () => {
    const first = (await ensureLabUp()) as UpReport
    const second = (await ensureLabUp()) as UpReport
    expect(second.started).toEqual([])
    expect(second.alreadyRunning).toEqual(LAB_NODE_NAMES)
    expect(pids(second)).toEqual(pids(first))
    expect(Object.values(pids(second)).every((pid) => pid !== null)).toBe(true)
  })

  it('lab reset lab2 gives back a clean node with a new host key, leaving the others alone', async () => {
    const before = (await ensureLabUp()) as UpReport
    expect(
      (
        await ssh(
          'lab2',
          'echo dirty > /root/marker && apt-get install -y -q --no-download hello >/dev/null 2>&1; ls /root',
        )
      ).stdout,
    ).toBe('marker')
    const oldKey = knownHostLine('10.77.0.12')

    const reset = await runCli(['lab', 'reset', 'lab2', '--json'])
    expect(reset.exitCode).toBe(0)
    expect((JSON.parse(reset.stdout) as {node: {state: string}}).node.state).toBe('running')

    const after = await ssh('lab2', 'ls -A /root; hostname; systemctl is-system-running --wait')
    expect(after.stdout).toBe('.bashrc\n.profile\n.ssh\nlab2\nrunning')
    expect(knownHostLine('10.77.0.12')).toMatch(/^10\.77\.0\.12 ssh-ed25519 /)
    expect(knownHostLine('10.77.0.12')).not.toBe(oldKey)
    const now = labStatus(layoutNodes(5)).nodes
    for (const node of now.filter((node) => node.name !== 'lab2')) expect(node.pid).toBe(pids(before)[node.name])
    expect(now.find((node) => node.name === 'lab2')?.pid).not.toBe(pids(before).lab2)
  })

  it('shows a node killed from outside as stopped, and lab up boots it again', async () => {
    await ensureLabUp()
    const lab4 = readState()?.nodes.lab4
    if (!lab4?.nspawn) throw new Error('lab4 has no recorded process')
    process.kill(lab4.nspawn.pid, 'SIGKILL')
    await waitUntilDead(lab4.nspawn)

    const status = await runCli(['lab', 'status', '--json'])
    expect(status.exitCode).toBe(0)
    const lab4Status = (
      JSON.parse(status.stdout) as {nodes: Array<{name: string; state: string; pid: number | null}>}
    ).nodes.find((node) => node.name === 'lab4')
    expect(lab4Status).toMatchObject({state: 'stopped', pid: null})
    const refused = await runCli(['lab', 'ssh', 'lab4', '--', 'true'])
    expect([refused.exitCode, refused.stderr]).toEqual([1, expect.stringContaining('goldentooth: lab4 is not running')])

    const orphan = containerInits('lab4')
    expect(orphan).toHaveLength(1)
    const up = (await ensureLabUp()) as UpReport
    expect(up.started).toEqual(['lab4'])
    expect(containerInits('lab4')).toHaveLength(1)
    expect(containerInits('lab4')).not.toEqual(orphan)
    expect((await ssh('lab4', 'hostname')).stdout).toBe('lab4')
  })

  it('reports a node that does not boot with its console lines, as failed-to-boot, until lab up replaces it', async () => {
    await ensureLabUp()
    const lab9 = {name: 'lab9', address: '10.77.0.19'}
    const inventory = path.join(tmp, 'lab9')
    mkdirSync(inventory)
    writeFileSync(path.join(inventory, 'hosts.yaml'), 'all:\n  hosts:\n    lab9:\n      ansible_host: 10.77.0.19\n')
    await execa('ip', ['-n', NETNS, 'link', 'add', 'vb-lab9', 'type', 'bridge'])
    const broken = await runCli(['lab', 'up', '--inventory', inventory])
    expect(broken.exitCode).toBe(1)
    expect(broken.stdout).toMatch(
      /lab9 did not boot: its container exited during boot\. Last console lines \(\/run\/goldentooth\/lab\/nodes\/lab9\/console\.log\):\n(  .*\n)*  Failed to add new veth interfaces \(vb-lab9:host0\): File exists/,
    )
    expect(broken.stderr).toContain('goldentooth: lab9 did not boot\n')
    expect(labStatus([lab9]).nodes[0]?.state).toBe('failed-to-boot')
    await execa('ip', ['-n', NETNS, 'link', 'delete', 'vb-lab9'])

    const quiet = {inventory, progress: () => undefined}
    const late = await labUp([lab9], {...quiet, bootTimeoutMs: 1})
    expect(late.failed.map((failure) => [failure.name, failure.reason])).toEqual([
      ['lab9', 'sshd did not answer within 0 s'],
    ])
    expect(labStatus([lab9]).nodes[0]?.state).toBe('failed-to-boot')

    expect((await labUp([lab9], quiet)).failed).toEqual([])
    expect(labStatus([lab9]).nodes[0]?.state).toBe('running')
    expect((await ssh('lab9', 'hostname')).stdout).toBe('lab9')
    await labDown()
  })

  it('recovers from a crash: with every lab process killed, lab up removes the leftovers and boots a fresh lab', async () => {
    await ensureLabUp()
    const old = recordedProcesses()
    expect(old.length).toBeGreaterThanOrEqual(5 * 2 + 3)
    for (const ref of old) if (isAlive(ref)) process.kill(ref.pid, 'SIGKILL')
    for (const ref of old) await waitUntilDead(ref)

    const up = (await ensureLabUp()) as UpReport
    expect(up.started).toEqual(LAB_NODE_NAMES)
    expect((await ssh('lab1', 'ping -c 1 -W 2 10.77.0.15 >/dev/null && hostname')).stdout).toBe('lab1')
    expect((await ssh('lab5', 'apt-get update -q >/dev/null && echo apt-ok')).stdout).toBe('apt-ok')
  })

  it('lab up --nodes 24 adds workers from a generated inventory, raising the inotify limit that lab down restores', async () => {
    await ensureLabUp()
    const limit = () => Number(readFileSync('/proc/sys/fs/inotify/max_user_instances', 'utf8'))
    const before = limit()
    const up = await runCli(['lab', 'up', '--nodes', '24', '--json'])
    expect(up.exitCode).toBe(0)
    const report = JSON.parse(up.stdout) as UpReport & {inventory: string}
    expect(report.inventory).toBe('/run/goldentooth/lab/inventory')
    expect(report.alreadyRunning).toEqual(LAB_NODE_NAMES)
    expect(report.started).toEqual(Array.from({length: 19}, (_, i) => `lab${i + 6}`))
    const generated = await loadInventory(report.inventory)
    expect(generated.groupHosts('slurm_compute')).toContain('lab24')
    const hostname = await runCli(['--inventory', report.inventory, 'command', 'lab24', '--', 'hostname'])
    expect(hostname.stdout).toContain('lab24')
    expect(limit()).toBeGreaterThanOrEqual(64 + 8 * 24)

    expect((await runCli(['lab', 'down'])).exitCode).toBe(0)
    expect(limit()).toBe(before)
  })

  it('lab down without its state file still removes every process, mount and the namespace', async () => {
    await ensureLabUp()
    const running = recordedProcesses()
    rmSync(LAB_STATE_FILE)
    const down = await runCli(['lab', 'down'])
    expect(down.exitCode).toBe(0)
    for (const ref of running) await waitUntilDead(ref)
    expect(namespaceExists()).toBe(false)
    expect(mountsUnder('/run/goldentooth')).toEqual([])
    expect(existsSync(LAB_RUN_DIR)).toBe(false)
    expect(processesUsing(LAB_RUN_DIR, ['systemd-nspawn', 'socat', 'apt-cacher-ng'])).toEqual([])
    expect(existsSync('/sys/fs/cgroup/unified/goldentooth-lab') || existsSync('/sys/fs/cgroup/goldentooth-lab')).toBe(
      false,
    )
  })
})
