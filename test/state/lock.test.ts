import {execa} from 'execa'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import {RunError} from '../../src/core/errors.js'
import {processRef} from '../../src/lab/processes.js'
import {withStateLock} from '../../src/state/lock.js'
import {ROOT} from '../support/cli.js'

const scratch = mkdtempSync(path.join(os.tmpdir(), 'gt-lock-'))
afterAll(() => rmSync(scratch, {force: true, recursive: true}))

let count = 0
const stateDir = () => path.join(scratch, `state-${++count}`)

/** Another goldentooth process (the built module) that takes the lock, says so, and then does what `then` says. */
function holder(dir: string, then: 'exit' | 'wait') {
  const script = `
    const {withStateLock} = await import(${JSON.stringify(path.join(ROOT, 'dist/src/state/lock.js'))})
    await withStateLock(${JSON.stringify(dir)}, 'setup_slurm', async () => {
      console.log('locked')
      ${then === 'exit' ? 'process.exit(0)' : 'await new Promise(() => setInterval(() => {}, 1000))'}
    })`
  const child = execa(process.execPath, ['--input-type=module', '-e', script, 'setup_slurm', '--limit', 'lab1'], {
    reject: false,
  })
  const locked = new Promise<void>((resolve) => child.stdout?.on('data', () => resolve()))
  return {child, locked}
}

function refusal(work: () => Promise<unknown>): Promise<RunError> {
  return work().then(
    () => {
      throw new Error('expected the lock to be refused')
    },
    (error: RunError) => error,
  )
}

describe('withStateLock', () => {
  it('refuses a second run at once, naming the holder; released when the holder is stopped', async () => {
    const dir = stateDir()
    const {child, locked} = holder(dir, 'wait')
    await locked
    const error = await refusal(() => withStateLock(dir, 'setup_consul', async () => 'ran'))
    expect(error).toBeInstanceOf(RunError)
    expect(error.exitCode).toBe(1)
    expect(error.message).toMatch(
      new RegExp(
        `^another goldentooth run holds ${dir}/lock: setup_slurm: pid ${child.pid} \\(\\S*node setup_slurm --limit lab1\\), started \\d{4}-\\d\\d-\\d\\dT`,
      ),
    )
    const started = new Date(/started (\S+)$/.exec(error.message)![1]!).getTime()
    expect(Math.abs(started - Date.now())).toBeLessThan(60_000)
    expect(error.hint).toBe(`wait for it to finish, or stop it (kill ${child.pid}) if it is stuck`)
    child.kill('SIGTERM')
    expect((await child).signal).toBe('SIGTERM')
    expect(existsSync(path.join(dir, 'lock'))).toBe(false)
    expect(await withStateLock(dir, 'setup_consul', async () => 'ran')).toBe('ran')
  })

  it('is released when the holder exits without unwinding (process.exit)', async () => {
    const dir = stateDir()
    const {child} = holder(dir, 'exit')
    expect((await child).exitCode).toBe(0)
    expect(existsSync(path.join(dir, 'lock'))).toBe(false)
  })

  it('takes over a lock whose holder was killed', async () => {
    const dir = stateDir()
    const {child, locked} = holder(dir, 'wait')
    await locked
    child.kill('SIGKILL')
    await child
    expect(existsSync(path.join(dir, 'lock'))).toBe(true)
    expect(await withStateLock(dir, 'setup_slurm', async () => 'ran')).toBe('ran')
    expect(existsSync(path.join(dir, 'lock'))).toBe(false)
  })

  it('takes over a lock whose pid now belongs to another process (its start time differs)', async () => {
    const dir = stateDir()
    const init = processRef(1)!
    mkdirSync(dir)
    writeFileSync(
      path.join(dir, 'lock'),
      JSON.stringify({command: 'old', description: 'old', pid: 1, startTime: init.startTime + 1}),
    )
    const seen: number[] = []
    await withStateLock(dir, 'setup_slurm', async () => {
      seen.push(JSON.parse(readFileSync(path.join(dir, 'lock'), 'utf8')).pid)
    })
    expect(seen).toEqual([process.pid])
  })

  it('lets exactly one of several runs take over a stale lock', async () => {
    const dir = stateDir()
    mkdirSync(dir)
    writeFileSync(path.join(dir, 'lock'), JSON.stringify({command: 'gone', description: 'gone', pid: 1, startTime: 1}))
    const script = `
      const {withStateLock} = await import(${JSON.stringify(path.join(ROOT, 'dist/src/state/lock.js'))})
      try {
        await withStateLock(${JSON.stringify(dir)}, 'setup_slurm', () => new Promise((r) => setTimeout(r, 3000)))
        console.log('ran')
      } catch (error) {
        console.log('refused', error.message.includes('another goldentooth run holds'))
      }`
    const runs = await Promise.all(
      Array.from({length: 4}, () => execa(process.execPath, ['--input-type=module', '-e', script])),
    )
    expect(runs.map((run) => run.stdout).sort()).toEqual(['ran', 'refused true', 'refused true', 'refused true'])
    expect(existsSync(path.join(dir, 'lock'))).toBe(false)
  })

  it('is released when the work fails, and holds this process while it runs', async () => {
    const dir = stateDir()
    await expect(
      withStateLock(dir, 'setup_slurm', async () => {
        const lock = JSON.parse(readFileSync(path.join(dir, 'lock'), 'utf8'))
        expect(lock).toMatchObject({
          description: 'setup_slurm',
          pid: process.pid,
          startTime: processRef(process.pid)!.startTime,
        })
        throw new Error('the run failed')
      }),
    ).rejects.toThrow('the run failed')
    expect(existsSync(path.join(dir, 'lock'))).toBe(false)
  })

  it('refuses a lock file it cannot read, saying what to do', async () => {
    const dir = stateDir()
    mkdirSync(dir)
    writeFileSync(path.join(dir, 'lock'), 'garbage')
    const error = await refusal(() => withStateLock(dir, 'setup_slurm', async () => 'ran'))
    expect(error.message).toBe(`${dir}/lock exists but does not say which process holds it`)
    expect(error.hint).toBe(`if no other goldentooth run is going on, delete ${dir}/lock`)
  })
})
