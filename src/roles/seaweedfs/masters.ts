import type {Finding} from '../../engine/role.js'
import type {Inventory} from '../../inventory/model.js'

/** Raft masters: the seaweedfs_master group, or the first three seaweedfs hosts when there is none. */
export function mastersOf(inventory: Inventory): string[] {
  const group = inventory.groupHosts('seaweedfs_master')
  return group.length > 0 ? group : inventory.groupHosts('seaweedfs').slice(0, 3)
}

/**
 * An odd number of masters, at least three: SeaweedFS refuses an even count ("Only odd number of masters are
 * supported"), and two masters are a Raft that loses its quorum with either one (the original's flapping leader).
 */
export function masterFindings(inventory: Inventory): Finding[] {
  const masters = mastersOf(inventory)
  const servers = new Set(inventory.groupHosts('seaweedfs'))
  const findings: Finding[] = masters
    .filter((host) => !servers.has(host))
    .map((host) => ({host, level: 'error', message: 'is a SeaweedFS master but not in the seaweedfs group'}))
  const listed = `${masters.length} (${masters.join(', ') || 'none'})`
  if (masters.length < 3) {
    findings.push({
      level: 'error',
      message: `SeaweedFS needs at least 3 masters for a Raft quorum that survives a failure; it has ${listed}`,
    })
  } else if (masters.length % 2 === 0) {
    findings.push({
      level: 'error',
      message: `SeaweedFS masters must be an odd number ("Only odd number of masters are supported"); it has ${listed}`,
    })
  }
  return findings
}
