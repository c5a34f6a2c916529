import {execa} from 'execa'
import {existsSync, mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Fleet} from '../support/sshd.js'

import {CLI, runCli, spawnCli} from '../support/cli.js'
import {startSshFleet} from '../support/sshd.js'

/** Ten real OpenSSH servers on loopback, an unreachable host, and one whose known_hosts entry is wrong. */
let fleet: Fleet
let env: Record<string, string>
const gt = (args: string[], input?: string) =>
  runCli(['-i', fleet.inventoryPath, ...args], {env, ...(input === undefined ? {} : {input})})

beforeAll(async () => {
  fleet = await startSshFleet(11, {unreachable: 'ghost', wrongKnownHost: ['host11']})
  env = {GOLDENTOOTH_SSH_CONFIG: fleet.sshConfigPath, GOLDENTOOTH_STATE_DIR: path.join(fleet.dir, 'state')}
})
afterAll(async () => fleet?.stopAll())

const ten = 'all[0:9]'

describe('command across ten loopback hosts', () => {
  it('folds identical results and exits 0', async () => {
    const {exitCode, stderr, stdout} = await gt(['command', ten, '--', 'echo same; echo err >&2'])
    expect(exitCode).toBe(0)
    expect(stdout).toBe(
      'host1,host2,host3,host4,host5,host6,host7,host8,host9,host10 (10) | rc=0\nsame\nstderr:\nerr\n',
    )
    expect(stderr).toMatch(/^10 ok, 0 failed, 0 unreachable \(\d+\.\d s\)$/m)
  })

  it('keeps differing hosts apart and reports a failing host with exit 1', async () => {
    const {exitCode, stdout} = await gt(['command', ten, '--', 'echo $GT_HOST; test $GT_HOST != host3'])
    expect(exitCode).toBe(1)
    expect(stdout).toContain('host3 (1) | rc=1\nhost3\n')
    expect(stdout).toContain('host4 (1) | rc=0\nhost4\n')
  })

  it('passes quotes, $, {}, newlines and non-ASCII through intact', async () => {
    const words = ["it's", '$HOME', '{a,b}', 'two\nlines', 'ünïcødé ✓', '"q"', '*']
    const {exitCode, stdout} = await gt(['command', 'host1', '--json', '--', 'printf', '[%s]', ...words])
    expect(exitCode).toBe(0)
    expect(JSON.parse(stdout).results[0].stdout).toBe(words.map((word) => `[${word}]`).join(''))
  })

  it('prints exactly the documented JSON document', async () => {
    const {exitCode, stdout} = await gt(['command', 'host1:host2', '--json', '--', 'echo hi'])
    expect(exitCode).toBe(0)
    const document = JSON.parse(stdout)
    expect(Object.keys(document)).toEqual(['results', 'summary'])
    expect(Object.keys(document.results[0]).sort()).toEqual([
      'durationMs',
      'error',
      'exitCode',
      'host',
      'ok',
      'stderr',
      'stdout',
      'streams',
    ])
    expect(document.results[0].streams).toEqual({
      stderr: {bytes: 0, omittedBytes: 0, utf8: true},
      stdout: {bytes: 3, omittedBytes: 0, utf8: true},
    })
    expect(document.results.map((r: {host: string}) => r.host)).toEqual(['host1', 'host2'])
    expect(document.summary).toMatchObject({failed: 0, ok: 2, unreachable: 0})
    expect(document.results[0].durationMs).toBeGreaterThan(0)
  })

  it('reports an unreachable host, carries on, and writes a retry file that --limit @FILE reads', async () => {
    const first = await gt(['command', 'host1,host2,ghost', '--', 'true'])
    expect(first.exitCode).toBe(1)
    expect(first.stdout).toMatch(/^ghost \(1\) \| UNREACHABLE: connection refused/m)
    expect(first.stdout).toContain('host1,host2 (2) | rc=0')
    const retry = /--limit @(\S+)/.exec(first.stderr)?.[1]
    expect(retry).toBeDefined()
    expect(readFileSync(retry!, 'utf8')).toBe('ghost\n')
    const again = await gt(['command', 'all', '--limit', `@${retry}`, '--json', '--', 'true'])
    expect(JSON.parse(again.stdout).results.map((r: {host: string}) => r.host)).toEqual(['ghost'])
  })

  it('refuses a host whose key does not match known_hosts, unless told to accept any key', async () => {
    const refused = await gt(['command', 'host11', '--', 'echo in'])
    expect(refused.exitCode).toBe(1)
    expect(refused.stdout).toMatch(/host11 \(1\) \| UNREACHABLE: .*host key/i)
    const accepted = await gt(['command', 'host11', '--insecure-accept-host-keys', '--', 'echo in'])
    expect(accepted.exitCode).toBe(0)
    expect(accepted.stdout).toContain('in\n')
  })

  it('stops a command at --timeout', async () => {
    const {exitCode, stdout} = await gt(['command', 'host1', '--timeout', '1', '--', 'sleep 30'])
    expect(exitCode).toBe(1)
    expect(stdout).toContain('host1 (1) | timed out after 1 s')
  })

  it('stops cleanly on Ctrl-C and reports what finished (exit 130)', async () => {
    const done = path.join(mkdtempSync(path.join(os.tmpdir(), 'gt-int-')), 'host1-done')
    const child = spawnCli(
      ['-i', fleet.inventoryPath, 'command', 'host1,host2', '--', `test $GT_HOST = host1 && touch ${done} || sleep 30`],
      env,
    )
    while (!existsSync(done)) await new Promise((resolve) => setTimeout(resolve, 100))
    await new Promise((resolve) => setTimeout(resolve, 1000))
    child.kill('SIGINT')
    const result = await child
    expect(result.exitCode).toBe(130)
    expect(String(result.stdout)).toContain('host1 (1) | rc=0')
    expect(String(result.stdout)).toMatch(/host2 \(1\) \| interrupted/)
  })
})

describe('usage errors', () => {
  it('needs a pattern: no implicit all (exit 2)', async () => {
    const {exitCode, stderr} = await gt(['command'])
    expect(exitCode).toBe(2)
    expect(stderr).toBe('goldentooth: missing argument: PATTERN\n  hint: see: goldentooth command --help\n')
  })

  it('names the closest group or host for a pattern that matches nothing (exit 2)', async () => {
    const {exitCode, stderr} = await gt(['command', 'hots1', '--', 'true'])
    expect(exitCode).toBe(2)
    expect(stderr).toMatch(/hots1.*host1/)
    expect(stderr).not.toMatch(/\n\s+at /)
  })
})

describe('ping, uptime, command_root', () => {
  it('ping and uptime reach every host', async () => {
    const ping = await gt(['ping', ten])
    expect(ping.exitCode).toBe(0)
    expect(ping.stdout).toBe('host1,host2,host3,host4,host5,host6,host7,host8,host9,host10 (10) | rc=0\npong\n')
    const uptime = await gt(['uptime', 'host1', '--json'])
    expect(JSON.parse(uptime.stdout).results[0].stdout).toMatch(/load average/)
  })

  it('command_root runs as root', async () => {
    const {stdout} = await gt(['command_root', 'host2', '--', 'id -u'])
    expect(stdout).toBe('host2 (1) | rc=0\n0\n')
  })
})

describe('stdin-driven pipe, heredoc and batch', () => {
  it('pipe runs each line, skipping blanks and comments', async () => {
    const {exitCode, stdout} = await gt(['pipe', 'host1,host2'], '# a comment\n\necho one\necho two $GT_HOST\n')
    expect(exitCode).toBe(0)
    expect(stdout).toContain('$ echo one\nhost1,host2 (2) | rc=0\none\n')
    expect(stdout).toContain('$ echo two $GT_HOST\nhost1 (1) | rc=0\ntwo host1\n')
  })

  it('heredoc runs stdin as one script: cd and variables persist', async () => {
    const {exitCode, stdout} = await gt(['heredoc', 'host1,host2'], 'cd /usr/share\nX=kept\necho "$(pwd) $X"\n')
    expect(exitCode).toBe(0)
    expect(stdout).toBe('host1,host2 (2) | rc=0\n/usr/share kept\n')
  })

  it('batch uploads a script file and runs it with its #! interpreter', async () => {
    const script = path.join(mkdtempSync(path.join(os.tmpdir(), 'gt-batch-')), 'job.py')
    writeFileSync(
      script,
      '#!/usr/bin/env python3\nimport os\nprint("py", os.environ["GT_HOST"])\nraise SystemExit(4)\n',
    )
    const {exitCode, stdout} = await gt(['batch', script, 'host3'])
    expect(exitCode).toBe(1)
    expect(stdout).toBe('host3 (1) | rc=4\npy host3\n')
  })
})

describe('cp', () => {
  it('copies a local file to many hosts atomically with its mode, and back into per-host directories', async () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'gt-cp-'))
    const local = path.join(work, 'motd')
    writeFileSync(local, 'hello cluster ✓\n', {mode: 0o640})
    const remote = path.join(fleet.dir, 'remote-dir')
    const up = await gt(['cp', local, `host1,host2:${remote}/`])
    // both "hosts" are this machine: they write the same path
    expect(up.exitCode).toBe(1)
    const mkdir = await gt(['command', 'host1', '--', `mkdir -p ${remote}`])
    expect(mkdir.exitCode).toBe(0)
    const again = await gt(['cp', local, `host1,host2:${remote}/`])
    expect(again.exitCode).toBe(0)
    expect(readFileSync(path.join(remote, 'motd'), 'utf8')).toBe('hello cluster ✓\n')
    expect(statSync(path.join(remote, 'motd')).mode & 0o777).toBe(0o640)
    const down = await gt(['cp', `all[0:2]:${remote}/motd`, path.join(work, 'fetched')])
    expect(down.exitCode).toBe(0)
    for (const host of ['host1', 'host2', 'host3']) {
      expect(readFileSync(path.join(work, 'fetched', host, 'motd'), 'utf8')).toBe('hello cluster ✓\n')
    }
  })

  it('copies from one host to others', async () => {
    const source = path.join(fleet.dir, 'relay-source')
    writeFileSync(source, 'relayed\n')
    const {exitCode, stdout} = await gt(['cp', `host4:${source}`, `host5:${source}.copy`])
    expect(exitCode).toBe(0)
    expect(stdout).toContain(`host4:${source} -> ${source}.copy`)
    expect(readFileSync(`${source}.copy`, 'utf8')).toBe('relayed\n')
  })
})

describe('shell', () => {
  it('opens an interactive session on one host through the system ssh, with a terminal', async () => {
    const command = `${process.execPath} ${CLI} -i ${fleet.inventoryPath} shell host2`
    const session = await execa('script', ['-qec', command, '/dev/null'], {
      env: {...env, NO_COLOR: '1'},
      input: 'echo inside-$GT_HOST-$(tty | cut -c1-8)\nexit 3\n',
      reject: false,
    })
    expect(session.exitCode).toBe(3)
    expect(String(session.stdout)).toContain('inside-host2-/dev/pts')
  })

  it('broadcasts each line of input to several hosts, with a warning', async () => {
    const {exitCode, stderr, stdout} = await gt(['shell', 'host1,host2'], 'echo hi $GT_HOST\nexit\n')
    expect(exitCode).toBe(0)
    expect(stderr).toContain('WARNING: broadcast mode')
    expect(stdout).toContain('host1 (1) | rc=0\nhi host1\n')
    expect(stdout).toContain('host2 (1) | rc=0\nhi host2\n')
  })
})
