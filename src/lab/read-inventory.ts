import {existsSync} from 'node:fs'
import path from 'node:path'

import {UsageError} from '../core/errors.js'
import {packageRoot} from '../core/package-root.js'
import {loadInventory} from '../inventory/load.js'
import {LAB_DEFAULT_INVENTORY} from './help-text.js'
import type {LabNode} from './lab-inventory.js'
import {checkNodeCount, labNodes, layoutNodes, writeGeneratedInventory} from './lab-inventory.js'
import {LAB_GENERATED_INVENTORY} from './paths.js'

export interface LabInventory {
  /** The inventory directory or file the nodes come from. */
  path: string
  nodes: LabNode[]
  /** With --nodes: writes the generated inventory to `path` (lab up calls it once stale leftovers are gone). */
  write?: () => void
}

/** The default lab inventory: ./inventory/lab, else the one shipped with goldentooth. */
function resolveInventoryPath(given: string): string {
  if (given !== LAB_DEFAULT_INVENTORY || existsSync(given)) return given
  return path.join(packageRoot(), LAB_DEFAULT_INVENTORY)
}

/** The nodes a lab command works on: the inventory's hosts, or with `count` a generated lab of that many nodes. */
export async function readLabInventory(given: string, count?: number): Promise<LabInventory> {
  if (count !== undefined && given !== LAB_DEFAULT_INVENTORY) {
    throw new UsageError('--nodes generates the built-in lab layout and cannot be combined with --inventory')
  }
  if (count === undefined) {
    const source = resolveInventoryPath(given)
    return {path: source, nodes: labNodes(await loadInventory(source))}
  }
  checkNodeCount(count)
  return {path: LAB_GENERATED_INVENTORY, nodes: layoutNodes(count), write: () => writeGeneratedInventory(count)}
}
