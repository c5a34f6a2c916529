import type {Inventory} from './model.js'

import {color} from '../output/color.js'
import {loadInventory} from './load.js'

/** Load the inventory named by the shared flags; what Ansible would only warn about goes to stderr. */
export async function openInventory(flags: {
  inventory: string
  'vault-password-file'?: string | undefined
}): Promise<Inventory> {
  const inventory = await loadInventory(flags.inventory, {vaultPasswordFile: flags['vault-password-file']})
  printWarnings(inventory.warnings)
  return inventory
}

export function printWarnings(warnings: readonly string[]): void {
  for (const warning of warnings) process.stderr.write(`${color.yellow('warning:')} ${warning}\n`)
}
