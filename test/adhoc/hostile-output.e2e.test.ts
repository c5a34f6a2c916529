import {execa} from 'execa'
import {existsSync, mkdtempSync, readFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Fleet} from '../support/sshd.js'

import {omissionNote} from '../../src/transport/captured-output.js'

import {CLI, runCli, spawnCli} from '../support/cli.js'
import {startSshFleet} from '../support/sshd.js'

/** What hosts send that a tool must survive: hundreds of megabytes, binary bytes, terminal escapes; and signals. */
let fleet: Fleet
let env: Record<string, string>
const gt = (args: string[]) => runCli(['-i', fleet.inventoryPath, ...args], {env})
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const megabytes = (count: number) => `head -c ${count * 1_000_000} /dev/zero | tr '\\0' x`

/** Peak RSS in KiB of the CLI run with these arguments (GNU time), beside its stdout. */
async function peakRss(args: string[]): Promise<{exitCode: number; rssKiB: number; stdout: string}> {
  const rssFile = path.join(fleet.dir, `rss-${Date.now()}`)
  const result = await execa(
    '/usr/bin/time',
    ['-f', '%M', '-o', rssFile, process.execPath, CLI, '-i', fleet.inventoryPath, ...args],
    {env: {NO_COLOR: '1', ...env}, reject: false, stripFinalNewline: false},
  )
  return {exitCode: result.exitCode ?? -1, rssKiB: Number(readFileSync(rssFile, 'utf8').trim()), stdout: result.stdout}
}

beforeAll(async () => {
  fleet = await startSshFleet(3)
  env = {GOLDENTOOTH_SSH_CONFIG: fleet.sshConfigPath, GOLDENTOOTH_STATE_DIR: path.join(fleet.dir, 'state')}
})
afterAll(async () => fleet?.stopAll())

describe('large output', () => {
  it('keeps the first and last halves of 150 MB from each of 3 hosts, says so, and its memory stays flat', async () => {
    const {exitCode, rssKiB, stdout} = await peakRss(['command', 'all', '--', `${megabytes(150)}; echo; echo END`])
    expect(exitCode).toBe(0)
    expect(stdout).toMatch(/^host1,host2,host3 \(3\) \| rc=0\nx{2097152}\n\[goldentooth: 139\.\d MiB of output omitted/)
    expect(stdout).toMatch(/omitted here; --max-output to keep more\]\nx+\nEND\n$/)
    // Three hosts' 450 MB took 4.3 GB before the cap; 8 MiB kept per host is the budget now.
    expect(rssKiB).toBeLessThan(400 * 1024)
  })

  it('prints a --json document for 600 MB from one host, with how much was left out', async () => {
    const {exitCode, stdout} = await gt(['command', 'host1', '--json', '--max-output', '1M', '--', megabytes(600)])
    expect(exitCode).toBe(0)
    const [result] = JSON.parse(stdout).results
    const half = 'x'.repeat(512 * 1024)
    expect(result.stdout).toBe(`${half}\n${omissionNote(600_000_000 - 1024 * 1024)}\n${half}`)
    expect(result.streams.stdout).toEqual({bytes: 600_000_000, omittedBytes: 600_000_000 - 1024 * 1024, utf8: true})
  })

  it('keeps everything with --max-output 0', async () => {
    const {exitCode, stdout} = await gt(['command', 'host1', '--json', '--max-output', '0', '--', megabytes(20)])
    expect(exitCode).toBe(0)
    const [result] = JSON.parse(stdout).results
    expect(result.stdout).toBe('x'.repeat(20_000_000))
    expect(result.streams.stdout.omittedBytes).toBe(0)
  })

  it('streams a 16 MB line with -v in parts, every byte once', async () => {
    const {exitCode, stdout} = await gt(['command', 'host1', '-v', '--', `${megabytes(16)}; echo`])
    expect(exitCode).toBe(0)
    const lines = stdout.split('\n').filter((line) => /^host1 \| x*$/.test(line))
    expect(lines.reduce((sum, line) => sum + line.length - 'host1 | '.length, 0)).toBe(16_000_000)
  })

  it('refuses a size it cannot read before connecting (exit 2)', async () => {
    const {exitCode, stderr} = await gt(['command', 'all', '--max-output', 'lots', '--', 'true'])
    expect(exitCode).toBe(2)
    expect(stderr).toBe(
      "goldentooth: --max-output: expected a size such as 4M, 512K or 0, not 'lots'\n  hint: see: goldentooth command --help\n",
    )
  })
})

describe('binary output and terminal escapes', () => {
  const hostile = String.raw`printf '\033]0;owned\007\033[2Jred\r\n'; printf 'bin:\377\376\000end\n'`

  it('notes output that is not UTF-8, in the text and in --json', async () => {
    const human = await gt(['command', 'host1', '--', hostile])
    expect(human.stdout).toContain('[goldentooth: stdout was not valid UTF-8: invalid bytes are shown as U+FFFD')
    const json = await gt(['command', 'host1', '--json', '--', hostile])
    const [result] = JSON.parse(json.stdout).results
    expect(result.stdout).toContain('bin:\uFFFD\uFFFD\u0000end')
    expect(result.streams.stdout.utf8).toBe(false)
  })

  it('shows control characters visibly on a terminal, and as they are with --raw or into a pipe', async () => {
    const onTerminal = async (extra: string[]) => {
      const command = [process.execPath, CLI, '-i', fleet.inventoryPath, 'command', 'host1', ...extra, '--', hostile]
      const quoted = command.map((word) => `'${word.replaceAll("'", String.raw`'\''`)}'`).join(' ')
      return String((await execa('script', ['-qec', quoted, '/dev/null'], {env: {...env, NO_COLOR: '1'}})).stdout)
    }
    const visible = await onTerminal([])
    expect(visible).toContain('^[]0;owned^G^[[2Jred')
    expect(visible).not.toContain('\u001b')
    expect(await onTerminal(['--raw'])).toContain('\u001b]0;owned\u0007')
    expect((await gt(['command', 'host1', '--', hostile])).stdout).toContain('\u001b[2J')
  })
})

describe('signals', () => {
  /** Start `sleep` on every host under a marker, wait until all three run, then signal the CLI. */
  async function interruptWith(signal: NodeJS.Signals) {
    const marker = `gt-sig-${signal}-${Date.now()}`
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gt-sig-'))
    const child = spawnCli(
      ['-i', fleet.inventoryPath, 'command', 'all', '--', `touch ${dir}/$GT_HOST; exec -a ${marker} sleep 60`],
      env,
    )
    while (!['host1', 'host2', 'host3'].every((host) => existsSync(path.join(dir, host)))) await sleep(100)
    child.kill(signal)
    const result = await child
    const left = await execa('pgrep', ['-f', marker], {reject: false})
    return {left: String(left.stdout).trim(), result}
  }

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s stops every remote command, reports, and exits %i', async (signal, code) => {
    const {left, result} = await interruptWith(signal)
    expect(result.exitCode).toBe(code)
    expect(String(result.stdout)).toMatch(/^host1,host2,host3 \(3\) \| interrupted$/m)
    expect(String(result.stderr)).toContain(`${signal}: interrupting: stopping what runs`)
    expect(left).toBe('')
  })

  it('survives its terminal going away: the hangup stops the remote commands, and Node does not abort', async () => {
    const marker = `gt-hup-${Date.now()}`
    const errors = path.join(fleet.dir, 'hangup.stderr')
    const cli = `${process.execPath} ${CLI} -i ${fleet.inventoryPath} command all`
    const terminal = execa('script', ['-qfec', `${cli} -- 'exec -a ${marker} sleep 60' 2>${errors}`, '/dev/null'], {
      env: {...env, NO_COLOR: '1'},
      reject: false,
    })
    const running = async (pattern: string) =>
      String((await execa('pgrep', ['-f', pattern], {reject: false})).stdout)
        .split('\n')
        .filter(Boolean)
    while ((await running(`^${marker}`)).length < 3) await sleep(100)
    terminal.kill('SIGKILL')
    while ((await running(`^${cli}`)).length > 0) await sleep(100)
    expect(await running(`^${marker}`)).toEqual([])
    const stderr = readFileSync(errors, 'utf8')
    expect(stderr).toContain('SIGHUP: interrupting: stopping what runs')
    expect(stderr).toMatch(/0 ok, 3 failed, 0 unreachable/)
    expect(stderr).not.toMatch(/Assertion failed|Native stack trace/)
  })
})
