import pLimit from 'p-limit'

import type {HostReport} from './results.js'

export interface WavesResult {
  /** Reports of the hosts that were applied. */
  reports: Map<string, HostReport>
  /** A --serial batch failed and the rest did not start. */
  stopped: boolean
}

/**
 * Apply each batch in turn, at most `forks` hosts at once; only hosts with work are applied. Once `signal` aborts (the
 * first interrupt) no batch and no host starts; those running finish. Under --serial a batch with a failed host (in
 * this step or `earlier`, when the probe did not reach it) stops the rest.
 */
export async function applyInWaves<Work>(
  batches: ReadonlyArray<readonly string[]>,
  work: ReadonlyMap<string, Work>,
  apply: (host: string, work: Work) => Promise<HostReport>,
  options: {earlier: ReadonlyMap<string, HostReport>; forks: number; serial: boolean; signal: AbortSignal},
): Promise<WavesResult> {
  const {earlier, serial, signal} = options
  const limit = pLimit(options.forks)
  const reports = new Map<string, HostReport>()
  for (const batch of batches) {
    if (signal.aborted) break
    const ready = batch.flatMap((host) => {
      const hostWork = work.get(host)
      return hostWork === undefined ? [] : [{host, hostWork}]
    })
    await Promise.all(
      ready.map(({host, hostWork}) =>
        limit(async () => {
          if (!signal.aborted) reports.set(host, await apply(host, hostWork))
        }),
      ),
    )
    if (serial && batch.some((host) => (reports.get(host) ?? earlier.get(host))?.ok === false))
      return {reports, stopped: true}
  }
  return {reports, stopped: false}
}
