import type {HostResult, HostStatus, Streams} from '../fanout/results.js'

/** Hosts whose stdout, stderr, exit code and error are all identical, shown once. */
export interface FoldedBlock {
  error: null | string
  exitCode: null | number
  hosts: string[]
  status: HostStatus
  stderr: string
  stdout: string
  streams?: Streams | undefined
}

/** Fold identical results together, blocks ordered by the first host of each (host order is the pattern's order). */
export function fold(results: readonly HostResult[]): FoldedBlock[] {
  const blocks = new Map<string, FoldedBlock>()
  for (const {error, exitCode, host, status, stderr, stdout, streams} of results) {
    const key = JSON.stringify([status, exitCode, error, stdout, stderr, streams])
    const block = blocks.get(key)
    if (block) block.hosts.push(host)
    else blocks.set(key, {error, exitCode, hosts: [host], status, stderr, stdout, streams})
  }
  return [...blocks.values()]
}
