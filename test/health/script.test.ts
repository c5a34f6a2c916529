import {mkdtempSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import type {Probe} from '../../src/health/model.js'

import {healthScript, parseScriptOutput, scriptTimeoutSeconds} from '../../src/health/script.js'
import {runLocally} from '../engine/local-sh.js'

function run(probes: Probe[], retryFloor = 0) {
  const started = Date.now()
  const {status, stdout} = runLocally(healthScript(probes, retryFloor))
  return {elapsedMs: Date.now() - started, output: parseScriptOutput(stdout), startedMs: started, status}
}

describe('the health script, run by the local sh', () => {
  it('reports each probe: exit code, exact output and error output, even with quotes, $ and binary bytes', () => {
    const tricky = `printf '%s\\n' "it's" '$HOME \`x\`'; printf 'a\\001\\303\\274'; echo oops >&2; exit 3`
    const {output, status} = run([{script: tricky}, {script: 'true'}])
    expect(status).toBe(0)
    expect(output.complete).toBe(true)
    expect(output.results.get(0)).toMatchObject({
      attempts: 1,
      exitCode: 3,
      stderr: 'oops\n',
      stdout: "it's\n$HOME `x`\na\u0001ü",
    })
    expect(output.results.get(1)).toMatchObject({exitCode: 0, stdout: ''})
  })

  it("starts with the node's clock", () => {
    const {elapsedMs, output, startedMs} = run([{script: 'true'}])
    expect(output.nodeEpochMs).toBeGreaterThanOrEqual(startedMs - 50)
    expect(output.nodeEpochMs).toBeLessThanOrEqual(startedMs + elapsedMs + 50)
  })

  it('measures durations, and runs probes in parallel after the `first` ones, which run alone', () => {
    const sleeper = {script: 'date +%s%N; sleep 0.6; date +%s%N'}
    const {output} = run([
      sleeper,
      sleeper,
      sleeper,
      {first: true, script: 'sleep 0.3; date +%s%N'},
      {script: 'date +%s%N'},
    ])
    const spans = [0, 1, 2].map((index) => output.results.get(index)!.stdout.trim().split('\n').map(BigInt))
    const lastStart = spans.map(([start]) => start!).reduce((a, b) => (a > b ? a : b))
    for (const [index, [, end]] of spans.entries()) {
      expect(output.results.get(index)!.durationMs).toBeGreaterThanOrEqual(550)
      expect(lastStart < end!).toBe(true)
    }
    expect(output.results.get(3)!.durationMs).toBeGreaterThanOrEqual(280)
    const firstEnded = BigInt(output.results.get(3)!.stdout.trim())
    const laterStarted = BigInt(output.results.get(4)!.stdout.trim())
    expect(laterStarted > firstEnded).toBe(true)
  })

  it('retries a failing probe until it passes while its window is open (a service that is still starting)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gt-health-'))
    const counter = path.join(dir, 'n')
    const third = `n=$(cat ${counter} 2>/dev/null || echo 0); n=$((n + 1)); echo $n > ${counter}; echo "attempt $n"; [ $n -ge 3 ]`
    const {output} = run([{retrySeconds: 10, script: third}])
    expect(output.results.get(0)).toMatchObject({attempts: 3, exitCode: 0, stdout: 'attempt 3\n'})
    expect(output.results.get(0)!.durationMs).toBeGreaterThanOrEqual(1900)
  })

  it('gives up when the retry window closes, and --retry-timeout widens every window', () => {
    const once = run([{script: 'exit 1'}])
    expect(once.output.results.get(0)).toMatchObject({attempts: 1, exitCode: 1})
    const declared = run([{retrySeconds: 2, script: 'exit 1'}])
    expect(declared.output.results.get(0)!.attempts).toBeGreaterThanOrEqual(2)
    expect(declared.output.results.get(0)!.attempts).toBeLessThanOrEqual(4)
    expect(declared.output.results.get(0)!.exitCode).toBe(1)
    const floor = run([{script: 'exit 1'}], 2)
    expect(floor.output.results.get(0)!.attempts).toBeGreaterThanOrEqual(2)
  })

  it('stops a probe at its timeout (exit 124)', () => {
    const {output} = run([{script: 'sleep 20', timeoutSeconds: 1}])
    expect(output.results.get(0)!.exitCode).toBe(124)
    expect(output.results.get(0)!.durationMs).toBeGreaterThanOrEqual(900)
    expect(output.results.get(0)!.durationMs).toBeLessThan(20_000)
  })

  it('a cut-short script is incomplete and the missing probes have no result', () => {
    const full = runLocally(healthScript([{script: 'echo one'}, {script: 'echo two'}])).stdout
    const cut = full
      .split('\n')
      .filter((line) => !line.startsWith('R 1 ') && line !== 'E')
      .join('\n')
    const output = parseScriptOutput(cut)
    expect(output.complete).toBe(false)
    expect(output.results.get(0)!.stdout).toBe('one\n')
    expect(output.results.has(1)).toBe(false)
  })

  it('allows the whole script time for the slowest probe plus the ones that run first', () => {
    expect(
      scriptTimeoutSeconds([
        {first: true, script: 'x'},
        {retrySeconds: 60, script: 'y'},
      ]),
    ).toBe(13 + 73 + 30)
    expect(scriptTimeoutSeconds([{script: 'y'}], 20)).toBe(33 + 30)
  })
})
