import type {Vars} from '../inventory/model.js'

import {withHostFacts} from '../engine/ansible-facts.js'
import {type Evaluation, evaluateOnHosts} from '../inventory/evaluate.js'
import {type InventorySource, openInventory, printWarnings} from '../inventory/open.js'
import {groupGraph, type GroupSummary, groupSummaries, hostVariables} from '../inventory/report.js'
import {selectHosts} from '../patterns/select.js'

export interface PatternOptions extends InventorySource {
  /** Further narrows the hosts, like ansible --limit. */
  limit?: string | undefined
}

/** `inventory hosts`: the hosts a pattern selects, in Ansible's order. */
export async function inventoryHosts(pattern: string, options: PatternOptions): Promise<{hosts: string[]}> {
  const {hosts, warnings} = selectHosts(await openInventory(options), pattern, {limit: options.limit})
  printWarnings(warnings)
  return {hosts}
}

export interface ShowReport {
  /** Variables that could not be templated, each with why. */
  failed: string[]
  /** The host asked for; every host when undefined. */
  host: string | undefined
  hosts: Record<string, Vars>
}

/** `inventory show`: a host's (or every host's) merged variables, as written or templated with assumed facts. */
export async function inventoryShow(
  host: string | undefined,
  options: InventorySource & {resolved: boolean; showSecrets: boolean},
): Promise<ShowReport> {
  const inventory = withHostFacts(await openInventory(options))
  return {...hostVariables(inventory, host, options), host}
}

/** `inventory eval`: what a template comes to on each selected host, with assumed facts. */
export async function inventoryEval(
  pattern: string,
  template: string,
  options: PatternOptions & {showSecrets: boolean},
): Promise<{results: Evaluation[]}> {
  const inventory = withHostFacts(await openInventory(options))
  const {hosts, warnings} = selectHosts(inventory, pattern, {limit: options.limit})
  printWarnings(warnings)
  return {results: evaluateOnHosts(inventory, hosts, template, options.showSecrets)}
}

/** `inventory graph`: the group tree from GROUP down. */
export async function inventoryGraph(group: string, source: InventorySource): Promise<{graph: string[]}> {
  return {graph: groupGraph(await openInventory(source), group)}
}

/** `list_groups`: every group with its hosts. */
export async function inventoryGroups(source: InventorySource): Promise<{groups: GroupSummary[]}> {
  return {groups: groupSummaries(await openInventory(source))}
}
