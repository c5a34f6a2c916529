import type {Inventory} from '../inventory/model.js'

/** A group's hosts in Ansible's order; none when the inventory has no such group (the lab has no seaweedfs). */
export function groupMembers(inventory: Inventory, group: string): string[] {
  if (group === 'all') return [...inventory.hosts.keys()]
  return inventory.groups.has(group) ? inventory.groupHosts(group) : []
}

/** Whether a host belongs to any of the groups (`all` is every host). */
export function inGroups(inventory: Inventory, host: string, groups: readonly string[]): boolean {
  if (groups.includes('all')) return true
  const names = inventory.groupNames(host)
  return groups.some((group) => names.includes(group))
}
