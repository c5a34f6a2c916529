import {setTimeout as sleep} from 'node:timers/promises'

import {execa} from 'execa'
import type {ExpectStatic} from 'vitest'

import {CLI} from './cli.js'

export interface SweepRun {
  argv: string[]
  cwd: string
  env: Record<string, string>
  input?: string | undefined
  /** Send `signal` once `when` resolves: the command is connecting, or its remote command is running. */
  interrupt?: {signal: 'SIGINT' | 'SIGTERM'; when: Promise<void>}
}

export interface SweepResult {
  exitCode: number | undefined
  signal: string | undefined
  stderr: string
  stdout: string
}

/** Run the built CLI as an operator would, with nothing of this repository's own inventory in reach. */
export async function runSweep(run: SweepRun): Promise<SweepResult> {
  const child = execa(process.execPath, [CLI, ...run.argv], {
    cwd: run.cwd,
    // vitest sets NODE_ENV=test, which an operator's shell does not: oclif would then warn about TypeScript sources.
    env: {NODE_ENV: '', NO_COLOR: '1', ...run.env},
    // Stopping remote work takes a few seconds on a busy machine: only a run that hangs is killed.
    forceKillAfterDelay: 30_000,
    input: run.input ?? '',
    reject: false,
    stripFinalNewline: false,
    timeout: 90_000,
  })
  if (run.interrupt) {
    const ready = await Promise.race([
      run.interrupt.when.then(() => true),
      child.then(() => false),
      sleep(30_000).then(() => false),
    ])
    if (ready) child.kill(run.interrupt.signal)
  }
  const result = await child
  return {
    exitCode: result.exitCode,
    signal: result.signal,
    stderr: String(result.stderr),
    stdout: String(result.stdout),
  }
}

export interface Expected {
  exit: number | readonly number[]
  json: boolean
  /** The run ends with an error of its own (not only per-host results): one `goldentooth: ` line must say it. */
  error: boolean
  /** Text the error line (else the output) must contain. */
  mentions?: string | RegExp
}

const STACK_TRACE = [/^\s+at .+:\d+:\d+\)?$/m, /Native stack trace/, /Assertion failed/, /^[\s›]*[\w.]*Error:/m]

/**
 * What every failure must look like: no bug report, no stack trace, a documented exit code that fits the case, one
 * JSON document under --json, else one `goldentooth: ` error line with at most a hint after it.
 */
export function expectCleanFailure(expect: ExpectStatic, result: SweepResult, expected: Expected): void {
  const output = `${result.stdout}\n${result.stderr}`
  const said = `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`
  expect(output, said).not.toContain('this is a bug')
  for (const trace of STACK_TRACE) expect(output, said).not.toMatch(trace)
  expect(result.signal, `killed by ${result.signal}: ${said}`).toBeUndefined()
  expect([expected.exit].flat(), `exit code ${result.exitCode}: ${said}`).toContain(result.exitCode)
  if (expected.json) {
    let document: {error?: {exitCode?: number; message?: string}} | undefined
    expect(() => (document = JSON.parse(result.stdout)), `not one JSON document: ${said}`).not.toThrow()
    const error = document?.error
    if (expected.error) expect(error?.exitCode, said).toBe(result.exitCode)
    if (error?.message !== undefined) expect(error.message, said).not.toContain('\n')
    if (expected.mentions) expect(result.stdout, said).toMatch(expected.mentions)
    return
  }
  const lines = result.stderr.split('\n')
  const at = lines.flatMap((line, i) => (line.startsWith('goldentooth: ') ? [i] : []))
  expect(at.length, `${expected.error ? 'one' : 'at most one'} goldentooth: line: ${said}`).toBe(
    expected.error ? 1 : Math.min(at.length, 1),
  )
  if (at.length === 1) {
    const after = lines.slice(at[0]! + 1).filter((line) => line !== '')
    expect(after.length <= 1 && after.every((line) => line.startsWith('  hint: ')), `one line + a hint: ${said}`).toBe(
      true,
    )
  }
  if (expected.error && result.exitCode !== 1) expect(result.stdout, said).toBe('')
  if (expected.mentions) expect(expected.error ? lines[at[0]!] : output, said).toMatch(expected.mentions)
}
