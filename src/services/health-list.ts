import {listing, type ListingReport} from '../health/list.js'
import {type InventorySource, openInventory} from '../inventory/open.js'

/** `goldentooth test list`: every suite's checks and where the inventory has them run. */
export async function listSuites(source: InventorySource): Promise<ListingReport> {
  return listing(await openInventory(source))
}
