import type {Inventory} from '../../../inventory/model.js'
import type {Finding} from '../../../engine/role.js'

/**
 * Why a Raft server group of this size is wrong, or undefined. A quorum is a majority: one server has no redundancy,
 * and an even count tolerates no more failures than the odd count below it while making a split vote possible.
 */
export function quorumProblem(group: string, hosts: readonly string[]): string | undefined {
  const listed = `${group} has ${hosts.length} host${hosts.length === 1 ? '' : 's'}${hosts.length > 0 ? ` (${hosts.join(', ')})` : ''}`
  if (hosts.length === 0) return `${listed}: the servers form the Raft quorum, so there must be at least 3`
  if (hosts.length === 1)
    return `${listed}: one server is a quorum with no redundancy (losing it loses the cluster); use 3 or 5`
  if (hosts.length % 2 === 0) {
    const tolerated = (hosts.length - 1) >> 1
    return (
      `${listed}: a Raft quorum of ${hosts.length} needs ${hosts.length / 2 + 1} votes and tolerates ${tolerated} ` +
      `failure${tolerated === 1 ? '' : 's'}, no more than ${hosts.length - 1} servers would; use an odd number (3 or 5)`
    )
  }
  return undefined
}

/** A plan-time error when the inventory's server group cannot form a sound quorum. */
export function quorumFindings(inventory: Inventory, group: string): Finding[] {
  const problem = quorumProblem(group, inventory.groupHosts(group))
  return problem ? [{level: 'error', message: problem}] : []
}
