import {execa} from 'execa'

/** One tool's way of doing the workload: a shell command line (timed from spawn to exit). */
export interface Contender {
  command: string
  env?: Record<string, string>
  name: string
  /** Exit codes that still count as a measurement (a health suite that finds failures exits 1); default [0]. */
  okExitCodes?: number[]
  /** How many changes a run's output reports (converge workloads: a no-op run must report 0). */
  changesIn?: (stdout: string) => number
}

export interface Timing {
  /** Changes each timed run reported, when the contender counts them. */
  changes?: number[]
  /** Exit code of each timed run, in order. */
  exitCodes: number[]
  max: number
  median: number
  min: number
  name: string
  /** Wall-clock milliseconds of each timed run, in order (warm-ups left out). */
  runs: number[]
  warmups: number
}

export interface RaceOptions {
  repetitions: number
  warmups?: number
  /**
   * Stop starting new rounds once this many milliseconds have gone by since the first timed round, but never before
   * `minRepetitions` rounds: how many were run is in each Timing's `runs`.
   */
  budgetMs?: number
  minRepetitions?: number
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

export function summarise(name: string, runs: number[], exitCodes: number[], warmups = 0): Timing {
  return {exitCodes, max: Math.max(...runs), median: median(runs), min: Math.min(...runs), name, runs, warmups}
}

export interface Run {
  exitCode: number
  ms: number
  stderr: string
  stdout: string
}

/** Run a contender once; throws when it exits with a code it is not allowed. */
export async function timeOnce(contender: Contender): Promise<Run> {
  const started = performance.now()
  const result = await execa('bash', ['-c', contender.command], {
    env: contender.env ?? {},
    reject: false,
    stdin: 'ignore',
  })
  const ms = performance.now() - started
  const exitCode = result.exitCode ?? -1
  if (!(contender.okExitCodes ?? [0]).includes(exitCode)) {
    const output = `${String(result.stdout).slice(-1500)}\n${String(result.stderr).slice(-1500)}`
    throw new Error(`${contender.name} failed (exit ${exitCode}):\n${contender.command}\n${output}`)
  }
  return {exitCode, ms, stderr: String(result.stderr), stdout: String(result.stdout)}
}

/** Warm every contender up, then run them in alternating order; wall-clock milliseconds. */
export async function race(contenders: readonly Contender[], options: RaceOptions): Promise<Timing[]> {
  const warmups = options.warmups ?? 1
  for (let i = 0; i < warmups; i++) for (const contender of contenders) await timeOnce(contender)
  const runs = new Map(
    contenders.map((contender) => [
      contender.name,
      {changes: [] as number[], codes: [] as number[], ms: [] as number[]},
    ]),
  )
  const started = performance.now()
  for (let i = 0; i < options.repetitions; i++) {
    const elapsed = performance.now() - started
    if (options.budgetMs !== undefined && i >= (options.minRepetitions ?? 1) && elapsed > options.budgetMs) break
    const order = i % 2 === 0 ? contenders : [...contenders].reverse()
    for (const contender of order) {
      const run = await timeOnce(contender)
      const record = runs.get(contender.name)!
      record.ms.push(run.ms)
      record.codes.push(run.exitCode)
      if (contender.changesIn) record.changes.push(contender.changesIn(run.stdout))
    }
  }
  return contenders.map((contender) => {
    const {changes, codes, ms} = runs.get(contender.name)!
    return {...summarise(contender.name, ms, codes, warmups), ...(contender.changesIn ? {changes} : {})}
  })
}

export const seconds = (ms: number, digits = 2) => `${(ms / 1000).toFixed(digits)} s`

/** A Markdown table: median, spread, runs, and the ratio of each median to the fastest one. */
export function timingTable(timings: readonly Timing[]): string {
  const fastest = Math.min(...timings.map((timing) => timing.median))
  const rows = timings.map(
    (t) =>
      `| ${t.name} | ${seconds(t.median, 3)} | ${seconds(t.min, 3)}–${seconds(t.max, 3)} | ${t.runs.length} | ${(t.median / fastest).toFixed(2)}× |`,
  )
  return ['| tool | median | min–max | runs | ratio to fastest |', '|---|---|---|---|---|', ...rows].join('\n')
}
