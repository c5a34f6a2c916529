import type {Inventory} from '../inventory/model.js'
import type {SuiteName} from './suite-names.js'

import {SUITES} from './catalog.js'
import {DEFAULT_SETTINGS, SETTING_VARIABLES} from './settings.js'
import {REACHABLE} from './suites/ssh.js'

export interface CheckListing {
  name: string
  scope: 'cluster' | 'host'
  summary: string
  /** Where it runs (host checks) or where its data comes from (cluster checks). */
  groups: string[]
  /** The inventory's hosts in those groups. */
  hosts: string[]
}

export interface SuiteListing {
  name: SuiteName
  summary: string
  checks: CheckListing[]
}

export interface ListingReport {
  suites: SuiteListing[]
  /** Inventory variables the suites read, with their defaults. */
  settings: Record<string, unknown>
}

function hostsIn(inventory: Inventory, groups: readonly string[]): string[] {
  return [...new Set(groups.flatMap((group) => inventory.groupHosts(group)))]
}

export function listing(inventory: Inventory): ListingReport {
  const suites = SUITES.map((suite): SuiteListing => {
    const hostChecks = suite.hostChecks.map((check): CheckListing => ({
      groups: [...check.groups],
      hosts: hostsIn(inventory, check.groups),
      name: check.name,
      scope: 'host',
      summary: check.summary,
    }))
    const reachable: CheckListing[] =
      suite.name === 'ssh'
        ? [
            {
              groups: ['all'],
              hosts: hostsIn(inventory, ['all']),
              name: REACHABLE.name,
              scope: 'host',
              summary: REACHABLE.summary,
            },
          ]
        : []
    const clusterChecks = suite.clusterChecks.map((check): CheckListing => ({
      groups: [...check.collectFrom],
      hosts: hostsIn(inventory, check.collectFrom),
      name: check.name,
      scope: 'cluster',
      summary: check.summary,
    }))
    return {checks: [...reachable, ...hostChecks, ...clusterChecks], name: suite.name, summary: suite.summary}
  })
  const defaults: Record<string, unknown> = {
    health_certificates: DEFAULT_SETTINGS.certificates,
    health_clock_offset_max_seconds: DEFAULT_SETTINGS.clockOffsetMaxSeconds,
    health_cpu_percent_max: DEFAULT_SETTINGS.cpuPercentMax,
    health_disk_percent_max: DEFAULT_SETTINGS.diskPercentMax,
    health_load_per_cpu_max: DEFAULT_SETTINGS.loadPerCpuMax,
    health_memory_percent_max: DEFAULT_SETTINGS.memoryPercentMax,
    health_renewal_grace_seconds: DEFAULT_SETTINGS.renewalGraceSeconds,
    health_renewer_max_age_seconds: DEFAULT_SETTINGS.renewerMaxAgeSeconds,
    health_skip_suites: DEFAULT_SETTINGS.skipSuites,
    health_zfs_snapshot_max_age_seconds: DEFAULT_SETTINGS.zfsSnapshotMaxAgeSeconds,
  }
  return {settings: Object.fromEntries(SETTING_VARIABLES.map((name) => [name, defaults[name]])), suites}
}
