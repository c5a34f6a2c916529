import {InventoryBuilder} from './builder.js'
import {InventoryFileParser} from './parse-inventory.js'
import type {Problem} from './problems.js'
import {readYamlFile} from './read-yaml.js'
import {findSources} from './sources.js'

export interface InventoryNames {
  groups: string[]
  hosts: string[]
}

/**
 * The group and host names of an inventory, for completion: read from its inventory files without a vault password
 * and without group_vars or host_vars. Never throws, never warns: an inventory that cannot be read has no names.
 */
export async function readInventoryNames(source: string): Promise<InventoryNames> {
  const none = {groups: [], hosts: []}
  const problems: Problem[] = []
  const builder = new InventoryBuilder(problems)
  try {
    for (const file of (await findSources(source)).files) {
      const read = await readYamlFile(file, undefined)
      if (read.status !== 'ok') return none
      new InventoryFileParser(read.yaml, read.vault, {builder, problems, warnings: []}).parse()
    }
  } catch {
    return none
  }
  if (problems.length > 0 || builder.hosts.size === 0) return none
  builder.reconcile()
  return {groups: [...builder.groups.keys()], hosts: [...builder.hosts.keys()]}
}
