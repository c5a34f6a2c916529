import type {Inventory} from '../inventory/model.js'

/** Whether a host belongs to any of the groups (`all` is every host). */
export function inGroups(inventory: Inventory, host: string, groups: readonly string[]): boolean {
  if (groups.includes('all')) return true
  const names = inventory.groupNames(host)
  return groups.some((group) => names.includes(group))
}
