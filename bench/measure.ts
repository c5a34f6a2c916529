import {execa} from 'execa'

/** One tool's way of doing the workload: a shell command line (timed from spawn to exit). */
export interface Contender {
  command: string
  env?: Record<string, string>
  name: string
}

export interface Timing {
  max: number
  median: number
  min: number
  name: string
  runs: number[]
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

async function timeOnce(contender: Contender): Promise<number> {
  const started = performance.now()
  const result = await execa('bash', ['-c', contender.command], {env: contender.env ?? {}, reject: false, stdin: 'ignore'})
  const elapsed = performance.now() - started
  if (result.exitCode !== 0) {
    throw new Error(`${contender.name} failed (exit ${result.exitCode}):\n${contender.command}\n${String(result.stderr).slice(-2000)}`)
  }
  return elapsed
}

/** Warm every contender up, then run them in alternating order `repetitions` times; wall-clock milliseconds. */
export async function race(contenders: readonly Contender[], repetitions: number, warmups = 1): Promise<Timing[]> {
  for (let i = 0; i < warmups; i++) for (const contender of contenders) await timeOnce(contender)
  const runs = new Map(contenders.map((contender) => [contender.name, [] as number[]]))
  for (let i = 0; i < repetitions; i++) {
    const order = i % 2 === 0 ? contenders : [...contenders].reverse()
    for (const contender of order) runs.get(contender.name)!.push(await timeOnce(contender))
  }
  return contenders.map((contender) => {
    const values = runs.get(contender.name)!
    return {max: Math.max(...values), median: median(values), min: Math.min(...values), name: contender.name, runs: values}
  })
}

/** A Markdown table: median, spread, and the ratio of each median to the fastest one. */
export function timingTable(timings: readonly Timing[]): string {
  const fastest = Math.min(...timings.map((timing) => timing.median))
  const rows = timings.map(
    (t) =>
      `| ${t.name} | ${(t.median / 1000).toFixed(3)} s | ${(t.min / 1000).toFixed(3)}–${(t.max / 1000).toFixed(3)} s | ${(t.median / fastest).toFixed(2)}× |`,
  )
  return ['| tool | median | min–max | ratio to fastest |', '|---|---|---|---|', ...rows].join('\n')
}
