import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'

import {execa} from 'execa'
import {beforeAll, describe, expect, it} from 'vitest'

import {mountsUnder} from '../../src/lab/mounts.js'
import {APT_CACHE_DIR, LAB_KEY, LAB_KNOWN_HOSTS, LAB_RUN_DIR, NETNS, ROOTFS_DIR} from '../../src/lab/paths.js'
import {isAlive, processesUsing, type ProcessRef} from '../../src/lab/processes.js'
import {readState} from '../../src/lab/state.js'
import {ensureLabUp, LAB_NODE_NAMES, runCli} from '../support/lab.js'
import {labUnavailable} from '../support/lab-context.js'

describe.skipIf(labUnavailable())('lab down', () => {
  let recorded: ProcessRef[] = []

  beforeAll(async () => {
    await ensureLabUp()
    const state = readState()
    const nodes = Object.values(state?.nodes ?? {}).flatMap((node) => [node.nspawn, node.forwarder])
    const proxy = state?.aptProxy
    recorded = [...nodes, proxy?.cacher, proxy?.hostForwarder, proxy?.labForwarder].filter(
      (ref): ref is ProcessRef => ref !== undefined,
    )
  })

  it('stops the lab and leaves no namespace, mount, socket or process; the caches and key stay', async () => {
    expect(recorded).toHaveLength(5 * 2 + 3)
    expect(recorded.every(isAlive)).toBe(true)
    const down = await runCli(['lab', 'down', '--json'])
    expect(down.exitCode).toBe(0)
    expect((JSON.parse(down.stdout) as {stopped: string[]}).stopped).toEqual(LAB_NODE_NAMES)

    expect(recorded.filter(isAlive)).toEqual([])
    expect(processesUsing(LAB_RUN_DIR, ['systemd-nspawn', 'socat', 'apt-cacher-ng'])).toEqual([])
    expect((await execa('ip', ['netns', 'list'])).stdout).not.toContain(NETNS)
    expect(mountsUnder('/run/goldentooth')).toEqual([])
    expect(existsSync(LAB_RUN_DIR)).toBe(false)
    expect(readdirSync('/run/systemd/nspawn/propagate').filter((name) => /^lab\d+$/.test(name))).toEqual([])
    expect(readFileSync(LAB_KNOWN_HOSTS, 'utf8')).toBe('')
    expect(
      ['/sys/fs/cgroup/unified', '/sys/fs/cgroup/systemd', '/sys/fs/cgroup'].filter((root) =>
        existsSync(`${root}/goldentooth-lab`),
      ),
    ).toEqual([])
    expect(statSync(LAB_KEY).isFile()).toBe(true)
    expect(readdirSync(ROOTFS_DIR).filter((entry) => !entry.startsWith('.'))).toHaveLength(1)
    expect(statSync(APT_CACHE_DIR).isDirectory()).toBe(true)
  })

  it('is idempotent: down again succeeds and says the lab was not running', async () => {
    const again = await runCli(['lab', 'down'])
    expect(again.exitCode).toBe(0)
    expect(again.stderr).toContain('lab down: the lab was not running')
  })

  it('leaves the other lab commands saying so', async () => {
    const status = await runCli(['lab', 'status', '--json'])
    expect(status.exitCode).toBe(0)
    const report = JSON.parse(status.stdout) as {up: boolean; nodes: Array<{state: string; socketPresent: boolean}>}
    expect(report.up).toBe(false)
    expect(report.nodes.map((node) => [node.state, node.socketPresent])).toEqual(
      LAB_NODE_NAMES.map(() => ['stopped', false]),
    )
    for (const args of [
      ['lab', 'ssh', 'lab1'],
      ['lab', 'reset', 'lab1'],
    ]) {
      const result = await runCli(args)
      expect([result.exitCode, result.stderr]).toEqual([
        1,
        expect.stringContaining('goldentooth: the lab is not running: goldentooth lab up'),
      ])
    }
  })
})
