import type {Inventory} from './model.js'

import {color} from '../output/color.js'
import {loadInventory} from './load.js'

/** Where the inventory is, and the password of its Ansible Vault files. */
export interface InventorySource {
  inventory: string
  vaultPasswordFile?: string | undefined
}

/** Load the inventory; what Ansible would only warn about goes to stderr. */
export async function openInventory(source: InventorySource): Promise<Inventory> {
  const inventory = await loadInventory(source.inventory, {vaultPasswordFile: source.vaultPasswordFile})
  printWarnings(inventory.warnings)
  return inventory
}

export function printWarnings(warnings: readonly string[]): void {
  for (const warning of warnings) process.stderr.write(`${color.yellow('warning:')} ${warning}\n`)
}
