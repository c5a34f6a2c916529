import {isMap, isScalar, isSeq, type Node} from 'yaml'

import type {SourceLocation} from '../core/errors.js'
import type {InventoryBuilder, VarTable} from './builder.js'
import {expandHostPattern} from './host-range.js'
import type {Problem} from './problems.js'
import {closeMatch} from './suggest.js'
import {checkVar} from './validate.js'
import {ValueReader, mapEntries, type MapEntry, type VaultPlaintexts} from './yaml-values.js'
import {locate, type YamlFile} from './yaml.js'

const SECTIONS = ['hosts', 'children', 'vars'] as const

export interface ParseContext {
  builder: InventoryBuilder
  problems: Problem[]
  warnings: string[]
}

function describe(node: Node | null): string {
  if (isSeq(node)) return 'a list'
  if (isMap(node)) return 'a mapping'
  if (isScalar(node))
    return typeof node.value === 'string' ? `the string '${node.value}'` : `the value ${String(node.value)}`
  return 'nothing'
}

const SECTION_HINTS: Record<(typeof SECTIONS)[number], string> = {
  children: "write children as a mapping, one 'GROUP:' per line",
  hosts: "write hosts as a mapping, one 'HOST:' per line (variables indented under it)",
  vars: "write vars as a mapping of 'NAME: VALUE' lines",
}

/** Ansible's YAML inventory plugin, reporting what Ansible would skip or reject as problems with positions. */
export class InventoryFileParser {
  private readonly values: ValueReader
  private readonly yaml: YamlFile
  private readonly ctx: ParseContext

  constructor(yaml: YamlFile, vault: VaultPlaintexts, ctx: ParseContext) {
    this.yaml = yaml
    this.ctx = ctx
    this.values = new ValueReader(yaml, vault, (message) => ctx.warnings.push(message))
  }

  private problem(node: {range?: readonly number[] | null | undefined} | null, message: string, hint?: string): void {
    this.ctx.problems.push({hint, location: node ? locate(this.yaml, node) : undefined, message})
  }

  private entries(map: Node | null): MapEntry[] {
    return isMap(map) ? mapEntries(map, this.yaml, (message) => this.ctx.warnings.push(message)) : []
  }

  /** Parse the file's top level; false when it holds no inventory (empty). */
  parse(): boolean {
    const root = this.yaml.doc.contents
    if (root === null || (isScalar(root) && root.value === null)) {
      this.ctx.warnings.push(`${this.yaml.file}: empty inventory file, skipped`)
      return false
    }
    if (!isMap(root)) {
      this.problem(root, `an inventory file must be a mapping of groups (all:, GROUP:), not ${describe(root)}`)
      return false
    }
    const entries = this.entries(root)
    const plugin = entries.find((entry) => entry.key === 'plugin')
    if (plugin) {
      this.problem(plugin.keyNode, 'inventory plugin configuration files are not supported (only YAML inventories)')
      return false
    }
    for (const entry of entries) this.group(entry)
    return true
  }

  private group({key, keyNode, value}: MapEntry): string | undefined {
    if (typeof key !== 'string' || key === '') {
      this.problem(keyNode, `a group name must be a non-empty string, not ${describe(keyNode)}`)
      return undefined
    }
    if (value !== null && !isMap(value)) {
      this.problem(
        value,
        `group '${key}' must be a mapping with hosts:, children: or vars:, not ${describe(value)}`,
        isSeq(value) ? `put its hosts under '${key}:' → 'hosts:', one 'HOST:' per line` : undefined,
      )
      return undefined
    }
    this.ctx.builder.addGroup(key, locate(this.yaml, keyNode))
    for (const entry of this.entries(value)) {
      const section = SECTIONS.find((name) => name === entry.key)
      if (!section) {
        this.unknownKey(key, entry)
        continue
      }
      const body = entry.value
      if (body === null) continue
      if (isScalar(body) && typeof body.value === 'string') {
        if (section === 'vars') this.groupVar(key, {key: body.value, keyNode: body, value: null})
        if (section === 'children') this.child(key, {key: body.value, keyNode: body, value: null})
        if (section === 'hosts') this.host(key, {key: body.value, keyNode: body, value: null})
        continue
      }
      if (!isMap(body)) {
        this.problem(
          body,
          `'${section}' of group '${key}' must be a mapping, not ${describe(body)}`,
          SECTION_HINTS[section],
        )
        continue
      }
      for (const item of this.entries(body)) {
        if (section === 'vars') this.groupVar(key, item)
        else if (section === 'children') this.child(key, item)
        else this.host(key, item)
      }
    }
    return key
  }

  private unknownKey(group: string, {key, keyNode}: MapEntry): void {
    const name = String(key)
    const guess = closeMatch(name, SECTIONS)
    this.problem(
      keyNode,
      `unknown key '${name}' in group '${group}'${guess ? ` (did you mean '${guess}'?)` : ''}`,
      guess ? undefined : 'a group holds only hosts:, children: and vars: (variables go under vars:)',
    )
  }

  private child(parent: string, entry: MapEntry): void {
    const name = this.group(entry)
    if (name) this.ctx.builder.addChild(parent, name, locate(this.yaml, entry.keyNode))
  }

  private setVar(vars: VarTable, name: string, keyNode: Node, valueNode: Node | null): void {
    const {value, secrets, locked} = this.values.read(valueNode)
    vars.set(name, {locked, location: locate(this.yaml, keyNode), secrets, value})
  }

  /** `ansible_group_priority` orders the group's variables and is not a variable itself, as in Ansible. */
  private groupVar(group: string, {key, keyNode, value}: MapEntry): void {
    const node = this.ctx.builder.groups.get(group)!
    if (key !== 'ansible_group_priority') return this.setVar(node.vars, String(key), keyNode, value)
    const entry = {location: locate(this.yaml, keyNode), ...this.values.read(value)}
    const problem = checkVar('ansible_group_priority', entry)
    if (problem) this.ctx.problems.push(problem)
    else if (Number.isInteger(entry.value)) node.priority = entry.value as number
  }

  private host(group: string, {key, keyNode, value}: MapEntry): void {
    if (typeof key !== 'string' || key === '') {
      this.problem(keyNode, `a host name must be a string, not ${describe(keyNode)}`, `quote it: '${String(key)}':`)
      return
    }
    if (value !== null && !isMap(value)) {
      this.problem(
        value,
        `host '${key}' in group '${group}' must be empty or a mapping of variables, not ${describe(value)}`,
        isScalar(value) ? `to give its address write:  ${key}: {ansible_host: ${String(value.value)}}` : undefined,
      )
      return
    }
    let expanded: {hosts: string[]; port?: number}
    try {
      expanded = expandHostPattern(key)
    } catch (error) {
      this.problem(keyNode, `host '${key}': ${(error as Error).message}`)
      return
    }
    const location: SourceLocation = locate(this.yaml, keyNode)
    const vars = this.entries(value)
    for (const name of expanded.hosts) {
      const host = this.ctx.builder.addHost(name, location, group, expanded.port)
      for (const item of vars) this.setVar(host.vars, String(item.key), item.keyNode, item.value)
    }
  }
}
