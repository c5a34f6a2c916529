import type {Inventory} from '../inventory/model.js'

/** A group's hosts, or none when the inventory has no such group (a lab without SeaweedFS, say). */
export function membersOf(inventory: Inventory, group: string): string[] {
  return inventory.groups.has(group) ? inventory.groupHosts(group) : []
}
