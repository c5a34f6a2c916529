import type {Facts} from '../../../engine/facts.js'
import type {FetchRequest} from '../../../engine/role.js'

import {isContainer} from '../../../engine/compare.js'

/** What the probe reads to tell whether a kernel can serve or mount NFS. */
export const KERNEL_FILES = ['/proc/filesystems', '/proc/modules']

export function kernelFetches(hosts: readonly string[]): FetchRequest[] {
  return hosts.flatMap((host) => KERNEL_FILES.map((path) => ({host, path})))
}

type Fetched = (path: string) => Buffer | undefined

function hasFilesystem(fetched: Fetched, filesystem: string): boolean {
  const table = fetched('/proc/filesystems')?.toString('utf8') ?? ''
  return table.split('\n').some((line) => line.trim().split(/\s+/).at(-1) === filesystem)
}

/**
 * Why this host's kernel cannot provide `filesystem` (nfsd to serve, nfs to mount), or undefined when it can or might
 * (the filesystem is registered, or the kernel loads modules). Offline (assumed facts) nothing is known: undefined.
 */
export function kernelLacks(facts: Facts, fetched: Fetched, filesystem: string): string | undefined {
  if (facts.assumed || hasFilesystem(fetched, filesystem)) return undefined
  if (filesystem === 'nfsd' && isContainer(facts.virtualization)) {
    return `the kernel NFS server cannot run inside a ${facts.virtualization} container (nfsd belongs to the host kernel)`
  }
  if (fetched('/proc/modules') === undefined) {
    return `the kernel has no ${filesystem} filesystem and cannot load modules (no /proc/modules)`
  }
  return undefined
}
