import {execFile} from 'node:child_process'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {Readable} from 'node:stream'
import {fileURLToPath} from 'node:url'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {ConnectError} from '../../src/transport/errors.js'
import {shJoin} from '../../src/transport/quote.js'
import {connect} from '../../src/transport/ssh.js'
import type {Connection} from '../../src/transport/types.js'
import {startSshFleet, type Fleet} from '../support/sshd.js'
import {fleetTarget} from '../support/targets.js'

const OPTIONS = {connectTimeoutMs: 10_000, insecureAcceptHostKeys: false}

let fleet: Fleet
let connection: Connection

beforeAll(async () => {
  fleet = await startSshFleet(2)
  connection = await connect(await fleetTarget(fleet, 'host1'), OPTIONS)
})

afterAll(async () => {
  await connection?.close()
  await fleet?.stopAll()
})

/** Running, not merely a zombie its new parent has yet to reap. */
const alive = async (pid: string) => /^[^Z]/.test((await connection.exec(`ps -o stat= -p ${pid}`)).stdout.trim())

describe('exec', () => {
  it('runs through the login shell and reports exit codes and stderr without throwing', async () => {
    expect(await connection.exec('echo "$GT_HOST"; echo warning >&2')).toMatchObject({
      exitCode: 0,
      signal: null,
      stdout: 'host1\n',
      stderr: 'warning\n',
      timedOut: false,
    })
    expect(await connection.exec('echo out; exit 3')).toMatchObject({exitCode: 3, stdout: 'out\n'})
    expect(await connection.exec('no-such-command-here')).toMatchObject({exitCode: 127})
    expect(await connection.exec('kill -TERM $$')).toMatchObject({exitCode: null, signal: 'SIGTERM', timedOut: false})
  })

  it('feeds stdin from a string, a Buffer or a stream', async () => {
    expect((await connection.exec('cat', {stdin: 'line 1\nline 2\n'})).stdout).toBe('line 1\nline 2\n')
    const big = Buffer.alloc(5 * 1024 * 1024, 'x')
    expect((await connection.exec('wc -c', {stdin: big})).stdout.trim()).toBe(String(big.length))
    const stream = Readable.from(['a', 'b', 'c'])
    expect((await connection.exec('cat', {stdin: stream})).stdout).toBe('abc')
  })

  it('returns large output whole and non-ASCII intact across packet boundaries', async () => {
    const large = await connection.exec("head -c 20000000 /dev/zero | tr '\\0' a")
    expect(large.stdout.length).toBe(20_000_000)
    const chunks: Buffer[] = []
    const text = await connection.exec("yes '✓ é 日本 🚀' | head -n 50000", {onStdout: (chunk) => chunks.push(chunk)})
    expect(chunks.length).toBeGreaterThan(1)
    expect(text.stdout).toBe('✓ é 日本 🚀\n'.repeat(50_000))
  })

  it('passes quotes, $, {}, globs and newlines through shJoin unchanged', async () => {
    const argv = [
      `it's "quoted"`,
      '$HOME',
      '${GT_HOST}',
      '{a,b}',
      '*',
      '~',
      '',
      'two\nlines',
      '!x',
      '日本 ✓',
      '\\n',
      ';|&',
    ]
    const result = await connection.exec(`printf '%s\\0' ${shJoin(argv)}`)
    expect(result.stdout.split('\0').slice(0, -1)).toEqual(argv)
  })

  it('streams output while the command runs', async () => {
    const seen: number[] = []
    const started = performance.now()
    const result = await connection.exec('echo first; sleep 1; echo second', {
      onStdout: () => seen.push(performance.now() - started),
    })
    expect(result.stdout).toBe('first\nsecond\n')
    expect(seen[0]).toBeLessThan(result.durationMs - 500)
  })

  it('runs 20 commands at once on one connection, at most 8 channels at a time', async () => {
    const results = await Promise.all(
      Array.from({length: 20}, (_, i) => connection.exec(`date +%s%N; sleep 2; echo ${i}; date +%s%N`)),
    )
    expect(results.every((r) => r.exitCode === 0)).toBe(true)
    expect(results.map((r) => r.stdout.split('\n')[1])).toEqual(Array.from({length: 20}, (_, i) => `${i}`))
    const spans = results.map((r) => r.stdout.split('\n').map(Number)).map(([start, , end]) => [start!, end!] as const)
    const overlapping = spans.map(([start]) => spans.filter(([from, to]) => from <= start && start < to).length)
    expect(Math.max(...overlapping)).toBeGreaterThan(1)
    expect(Math.max(...overlapping)).toBeLessThanOrEqual(8)
  })

  it('kills a command and its children at its timeout, even on a root login; the connection stays usable', async () => {
    const result = await connection.exec('sleep 30 & echo $$ $!; wait', {timeoutMs: 500})
    expect(result).toMatchObject({exitCode: null, timedOut: true})
    expect(result.durationMs).toBeLessThan(30_000)
    const [shell, child] = result.stdout.trim().split(' ') as [string, string]
    expect(await alive(shell)).toBe(false)
    expect(await alive(child)).toBe(false)
    expect((await connection.exec('echo still here')).stdout).toBe('still here\n')
  })

  it('kills a command that ignores SIGTERM with SIGKILL a second later', async () => {
    const result = await connection.exec("trap '' TERM; echo $$; while :; do sleep 0.1; done", {timeoutMs: 500})
    expect(result).toMatchObject({exitCode: null, timedOut: true})
    expect(await alive(result.stdout.trim())).toBe(false)
  })

  it('stops a command on abort, and does not start one already aborted', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 300)
    const result = await connection.exec('echo $$; exec sleep 30', {signal: controller.signal})
    expect(result).toMatchObject({exitCode: null, timedOut: false})
    expect(await alive(result.stdout.trim())).toBe(false)
    const skipped = await connection.exec('touch /tmp/should-not-exist', {signal: AbortSignal.abort()})
    expect(skipped).toMatchObject({exitCode: null, stdout: '', timedOut: false})
  })
})

describe('connection loss', () => {
  it('rejects a running command with kind closed when the server goes away', async () => {
    const other = await connect(await fleetTarget(fleet, 'host2'), OPTIONS)
    try {
      const running = other.exec('sleep 30').catch((err: unknown) => err)
      await new Promise((resolve) => setTimeout(resolve, 300))
      await fleet.stop('host2')
      const error = await running
      expect(error).toBeInstanceOf(ConnectError)
      expect((error as ConnectError).kind).toBe('closed')
      expect((error as ConnectError).message).toBe(
        `the connection to 127.0.0.12:${fleet.host('host2').port} was closed`,
      )
      await expect(other.exec('true')).rejects.toMatchObject({kind: 'closed'})
    } finally {
      await other.close()
      await fleet.start('host2')
    }
  })

  it('notices a server that stops answering through keepalives', async () => {
    const other = await connect(await fleetTarget(fleet, 'host2'), {...OPTIONS, keepaliveMs: 200})
    try {
      const running = other.exec('sleep 30').catch((err: unknown) => err)
      await new Promise((resolve) => setTimeout(resolve, 300))
      fleet.freeze('host2')
      expect(await running).toMatchObject({kind: 'closed'})
    } finally {
      fleet.thaw('host2')
      await other.close()
    }
  })
})

describe('process lifetime', () => {
  it('lets node exit on its own once connections are closed', async () => {
    const ssh = fileURLToPath(new URL('../../src/transport/ssh.ts', import.meta.url))
    const script = join(fleet.dir, 'lifetime.mts')
    const target = await fleetTarget(fleet, 'host1')
    await writeFile(
      script,
      `import {connect} from ${JSON.stringify(ssh)}
const c = await connect(${JSON.stringify(target)}, ${JSON.stringify(OPTIONS)})
const r = await c.exec('echo $GT_HOST')
await c.upload('x', '/tmp/.gt-lifetime-test')
await c.close()
process.stdout.write(r.stdout)
`,
    )
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile('node', ['--import', 'tsx', script], {timeout: 20_000}, (err, out) =>
        err ? reject(err) : resolve(out),
      ),
    )
    expect(stdout).toBe('host1\n')
  })
})
