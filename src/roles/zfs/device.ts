import type {Disk, Facts} from '../../engine/facts.js'
import type {ZfsSettings} from './settings.js'

import {isContainer} from '../../engine/compare.js'

/** What the probe reads on each zfs host: whether the module is loaded, modules can load, the pool is imported. */
export function zfsFetches(host: string, pool: string): Array<{host: string; path: string}> {
  return ['/sys/module/zfs/version', '/proc/modules', `/proc/spl/kstat/zfs/${pool}/state`].map((path) => ({
    host,
    path,
  }))
}

type Fetched = (path: string) => Buffer | undefined

/** Why ZFS cannot work on this host, or undefined. Offline (assumed facts) nothing is known. */
export function zfsModuleMissing(facts: Facts, fetched: Fetched): string | undefined {
  if (facts.assumed || fetched('/sys/module/zfs/version') !== undefined) return undefined
  if (isContainer(facts.virtualization)) {
    return `the zfs kernel module is not loaded, and a ${facts.virtualization} container cannot load it`
  }
  if (fetched('/proc/modules') === undefined)
    return 'the zfs kernel module is missing and this kernel cannot load modules'
  return undefined
}

function describe(disk: Disk): string {
  const parts = [
    ...(disk.pttype ? [`a ${disk.pttype} partition table`] : []),
    ...(disk.fstype ? [`a ${disk.fstype} signature`] : []),
    ...(disk.children.length > 0
      ? [
          `partitions ${disk.children.map((child) => `${child.name}${child.fstype ? ` (${child.fstype})` : ''}`).join(', ')}`,
        ]
      : []),
  ]
  return parts.join(', ')
}

function findDisk(disks: readonly Disk[], name: string): Disk | undefined {
  for (const disk of disks) {
    if (disk.name === name) return disk
    const child = findDisk(disk.children, name)
    if (child) return child
  }
  return undefined
}

/** What to do about the pool on one host: nothing, create it, wipe then create it, or refuse (the reason). */
export type PoolDecision =
  {action: 'create'} | {action: 'keep'} | {action: 'refuse'; reason: string} | {action: 'wipe'; found: string}

export function poolDecision(facts: Facts, fetched: Fetched, settings: ZfsSettings, forceWipe?: string): PoolDecision {
  if (fetched(`/proc/spl/kstat/zfs/${settings.pool}/state`) !== undefined) return {action: 'keep'}
  const match = /^\/dev\/([^/]+)$/.exec(settings.device)
  if (!match) {
    return {
      action: 'refuse',
      reason: `zfs.pool.device ${settings.device} must be /dev/<kernel name> so its contents can be checked`,
    }
  }
  const disk = findDisk(facts.disks, match[1]!)
  if (!disk) {
    const names = facts.disks.map((d) => d.name).join(', ') || 'none'
    return {action: 'refuse', reason: `${settings.device} does not exist (disks: ${names})`}
  }
  const found = describe(disk)
  if (found === '' && !disk.mountpoint) return {action: 'create'}
  const what = found || `mounted at ${disk.mountpoint}`
  if (forceWipe === settings.device) return {action: 'wipe', found: what}
  return {
    action: 'refuse',
    reason: `pool ${settings.pool} is absent and ${settings.device} is not blank: it carries ${what}`,
  }
}
