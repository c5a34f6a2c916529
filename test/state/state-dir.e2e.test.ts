import {execFileSync} from 'node:child_process'
import {once} from 'node:events'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {type AddressInfo, createServer} from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {stringify} from 'yaml'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {runCli, spawnCli} from '../support/cli.js'

/**
 * The built CLI against a state directory that is broken in the ways an operator's can be: a secret that exists but
 * is empty or malformed, a full disk, a read-only file system. The inventory's hosts listen nowhere (127.0.0.1 port
 * 1): a refusal that comes before any connection shows no host at all in the output.
 */
const scratch = mkdtempSync(path.join(os.tmpdir(), 'gt-state-dir-'))
const inventory = path.join(scratch, 'inventory.yaml')
const full = path.join(scratch, 'full')
const readOnly = path.join(scratch, 'read-only')

const nowhere = {ansible_host: '127.0.0.1', ansible_port: 1, ipv4_address: '10.9.9.9'}

beforeAll(() => {
  writeFileSync(
    inventory,
    stringify({
      all: {
        children: {
          slurm: {
            children: {
              slurm_compute: {hosts: {node1: nowhere, node2: nowhere}},
              slurm_controller: {hosts: {node1: nowhere}},
            },
          },
        },
        vars: {ansible_user: 'root'},
      },
    }),
  )
  for (const dir of [full, readOnly]) mkdirSync(dir)
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', full])
  try {
    writeFileSync(path.join(full, 'filler'), Buffer.alloc(1024 * 1024))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
  }
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,ro', 'tmpfs', readOnly])
})

afterAll(() => {
  for (const dir of [full, readOnly]) execFileSync('umount', [dir])
  rmSync(scratch, {force: true, recursive: true})
})

const gt = (stateDir: string, args: string[]) =>
  runCli(['-i', inventory, ...args], {env: {GOLDENTOOTH_STATE_DIR: stateDir}})

function stateWith(secrets: Record<string, Buffer | string>): string {
  const dir = mkdtempSync(path.join(scratch, 'state-'))
  mkdirSync(path.join(dir, 'secrets'), {mode: 0o700})
  for (const [name, content] of Object.entries(secrets))
    writeFileSync(path.join(dir, 'secrets', name), content, {mode: 0o600})
  return dir
}

describe('a secret that exists but is empty or malformed', () => {
  it('an empty MUNGE key (what a full disk used to leave) is refused before any host is contacted (exit 3)', async () => {
    const state = stateWith({'munge.key': ''})
    const {exitCode, stderr, stdout} = await gt(state, ['setup_slurm'])
    expect(exitCode).toBe(3)
    expect(stdout).toBe('')
    expect(stderr).toContain(
      `goldentooth: ${state}/secrets/munge.key: the MUNGE key is empty; nothing was changed on any host\n` +
        `  hint: restore ${state}/secrets/munge.key from a backup, or delete it to have a new one generated ` +
        '(every host then gets the new key, and munge restarts)\n',
    )
  })

  it('a MUNGE key shorter than munged accepts is refused, under --check too', async () => {
    const state = stateWith({'munge.key': Buffer.alloc(16, 1)})
    for (const args of [['setup_slurm'], ['setup_slurm', '--check']]) {
      const {exitCode, stderr} = await gt(state, args)
      expect(exitCode).toBe(3)
      expect(stderr).toContain(`${state}/secrets/munge.key: the MUNGE key is 16 bytes; munged needs at least 32;`)
      expect(stderr).not.toContain('node1')
    }
  })

  it('--json carries the refusal as its one document', async () => {
    const state = stateWith({'munge.key': ''})
    const {exitCode, stdout} = await gt(state, ['setup_slurm', '--json'])
    expect(exitCode).toBe(3)
    expect(JSON.parse(stdout).error).toMatchObject({exitCode: 3, message: expect.stringContaining('is empty')})
  })
})

describe('a state directory that cannot be written', () => {
  it('a full disk: one clear error (exit 1), and no empty MUNGE key left behind for the next run to deploy', async () => {
    const state = path.join(full, 'state')
    const {exitCode, stderr} = await gt(state, ['setup_slurm'])
    expect(exitCode).toBe(1)
    expect(stderr).toContain(
      `goldentooth: cannot write ${state}/secrets/munge.key: no space left on device\n` +
        `  hint: free space on the file system that holds ${state}/secrets, ` +
        'or set GOLDENTOOTH_STATE_DIR to a writable directory\n',
    )
    const left = existsSync(path.join(state, 'secrets')) ? readdirSync(path.join(state, 'secrets')) : []
    expect(left).toEqual([])
    const again = await gt(state, ['setup_slurm'])
    expect(again.stderr).toContain('no space left on device')
  })

  it('a read-only file system: one clear error naming the directory and GOLDENTOOTH_STATE_DIR', async () => {
    const state = path.join(readOnly, '.goldentooth')
    const {exitCode, stderr} = await gt(state, ['setup_slurm'])
    expect(exitCode).toBe(1)
    expect(stderr).toContain(
      `goldentooth: cannot write ${state}/secrets/munge.key: read-only file system\n` +
        `  hint: make ${readOnly} writable (its file system is mounted read-only), ` +
        'or set GOLDENTOOTH_STATE_DIR to a writable directory\n',
    )
  })

  it('the retry file of an ad-hoc run on a read-only file system: the results, then one clear error', async () => {
    const state = path.join(readOnly, '.goldentooth')
    const {exitCode, stderr, stdout} = await gt(state, ['command', 'all', '--connect-timeout', '2', '--', 'true'])
    expect(exitCode).toBe(1)
    expect(stdout).toMatch(/^node1,node2 \(2\) \| UNREACHABLE/m)
    expect(stderr).toContain(`goldentooth: cannot write ${state}/retry: read-only file system\n`)
    expect(stderr).not.toContain('this is a bug')
  })

  it('with --json, the same error stands beside the host results in the one document', async () => {
    const state = path.join(readOnly, '.goldentooth')
    const {exitCode, stdout} = await gt(state, ['command', 'all', '--json', '--connect-timeout', '2', '--', 'true'])
    expect(exitCode).toBe(1)
    const document = JSON.parse(stdout)
    expect(document.results.map((result: {host: string; ok: boolean}) => [result.host, result.ok])).toEqual([
      ['node1', false],
      ['node2', false],
    ])
    expect(document.error.message).toBe(`cannot write ${state}/retry: read-only file system`)
  })
})

describe('health report files (--junit, --prometheus)', () => {
  it('land whole, with no temporary file beside them', async () => {
    const reports = mkdtempSync(path.join(scratch, 'reports-'))
    const junit = path.join(reports, 'health.xml')
    const prometheus = path.join(reports, 'health.prom')
    const {exitCode} = await gt(stateWith({}), ['test', 'system', '--junit', junit, '--prometheus', prometheus])
    expect(exitCode).toBe(1)
    expect(readdirSync(reports).sort()).toEqual(['health.prom', 'health.xml'])
    expect(readFileSync(junit, 'utf8')).toMatch(/^<\?xml[\s\S]*<\/testsuites>\n$/)
  })

  it('into a read-only directory: one clear error', async () => {
    const {exitCode, stderr} = await gt(stateWith({}), ['test', 'system', '--junit', path.join(readOnly, 'h.xml')])
    expect(exitCode).toBe(1)
    expect(stderr).toContain(`goldentooth: cannot write ${readOnly}/h.xml: read-only file system\n`)
    expect(stderr).not.toContain('this is a bug')
  })
})

describe('one role run at a time per state directory', () => {
  it('a second run is refused at once, naming the first; after the first ends, runs go ahead', async () => {
    const silent = createServer(() => {}).listen(0, '127.0.0.1')
    await once(silent, 'listening')
    const {port} = silent.address() as AddressInfo
    const stalled = path.join(scratch, 'stalled.yaml')
    writeFileSync(stalled, stringify({all: {hosts: {node1: {ansible_host: '127.0.0.1', ansible_port: port}}}}))
    const state = mkdtempSync(path.join(scratch, 'state-'))
    const env = {GOLDENTOOTH_STATE_DIR: state}
    try {
      const first = spawnCli(['-i', stalled, 'configure_cluster', '--connect-timeout', '20'], env)
      while (!existsSync(path.join(state, 'lock'))) await new Promise((resolve) => setTimeout(resolve, 50))
      const second = await runCli(['-i', stalled, 'configure_cluster'], {env})
      expect(second.exitCode).toBe(1)
      expect(second.stderr).toMatch(
        new RegExp(
          `^goldentooth: another goldentooth run holds ${state}/lock: configure_cluster: pid ${first.pid} \\(`,
        ),
      )
      expect(second.stderr).toContain(`hint: wait for it to finish, or stop it (kill ${first.pid}) if it is stuck`)
      first.kill('SIGTERM')
      expect((await first).exitCode).toBe(143)
      expect(existsSync(path.join(state, 'lock'))).toBe(false)
    } finally {
      silent.close()
    }
  })
})
