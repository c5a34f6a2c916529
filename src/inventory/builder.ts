import path from 'node:path'

import type {SourceLocation} from '../core/errors.js'
import type {Problem} from './problems.js'
import type {ValuePath} from './yaml-values.js'

/** One variable as defined in one place. */
export interface VarEntry {
  value: unknown
  location?: SourceLocation | undefined
  /** Paths of vault-encrypted strings inside the value (`[]`: the whole value came from a vault file). */
  secrets: ValuePath[]
  /** A `!vault` value inside it could not be decrypted (no password). */
  locked?: SourceLocation | undefined
}

/** Variables in definition order; setting an existing name keeps its position, like a Python dict. */
export type VarTable = Map<string, VarEntry>

export interface GroupNode {
  name: string
  hosts: HostNode[]
  children: GroupNode[]
  parents: GroupNode[]
  vars: VarTable
  priority: number
  location?: SourceLocation | undefined
}

export interface HostNode {
  name: string
  /** Groups that list the host, in the order it was added to them. */
  direct: GroupNode[]
  vars: VarTable
  location: SourceLocation
}

/** Ansible's InventoryData: groups and hosts in insertion order, `all` and `ungrouped` first. */
export class InventoryBuilder {
  readonly groups = new Map<string, GroupNode>()
  readonly hosts = new Map<string, HostNode>()

  private readonly problems: Problem[]

  constructor(problems: Problem[]) {
    this.problems = problems
    this.addGroup('all')
    this.addGroup('ungrouped')
    this.addChild('all', 'ungrouped')
  }

  addGroup(name: string, location?: SourceLocation): GroupNode {
    let group = this.groups.get(name)
    if (!group) {
      group = {children: [], hosts: [], location, name, parents: [], priority: 1, vars: new Map()}
      this.groups.set(name, group)
    }
    group.location ??= location
    return group
  }

  /** Add a host (once) and list it in a group; `port` only applies when the host is new, as in Ansible. */
  addHost(name: string, location: SourceLocation, group?: string, port?: number): HostNode {
    let host = this.hosts.get(name)
    if (!host) {
      host = {direct: [], location, name, vars: new Map()}
      if (port !== undefined) host.vars.set('ansible_port', {location, secrets: [], value: port})
      const file = path.resolve(location.file)
      host.vars.set('inventory_file', {location, secrets: [], value: file})
      host.vars.set('inventory_dir', {location, secrets: [], value: path.dirname(file)})
      this.hosts.set(name, host)
    }
    if (group) this.listHost(this.groups.get(group)!, host)
    return host
  }

  private listHost(group: GroupNode, host: HostNode): void {
    if (host.direct.includes(group)) return
    group.hosts.push(host)
    host.direct.push(group)
  }

  private unlistHosts(group: GroupNode, hosts: Set<HostNode>): void {
    if (hosts.size === 0) return
    group.hosts = group.hosts.filter((h) => !hosts.has(h))
    for (const host of hosts) host.direct = host.direct.filter((g) => g !== group)
  }

  /** A path from `from` down to `to` through children, if there is one. */
  private descentPath(from: GroupNode, to: GroupNode, seen = new Set<GroupNode>()): GroupNode[] | undefined {
    if (from === to) return [from]
    if (seen.has(from)) return undefined
    seen.add(from)
    for (const child of from.children) {
      const rest = this.descentPath(child, to, seen)
      if (rest) return [from, ...rest]
    }
    return undefined
  }

  /** Make `child` a child group of `parent`; a cycle is reported (naming the chain) and the edge left out. */
  addChild(parent: string, child: string, location?: SourceLocation): void {
    const p = this.groups.get(parent)!
    const c = this.groups.get(child)!
    if (c.parents.includes(p)) return
    const loop = this.descentPath(c, p)
    if (loop) {
      const chain = [...loop, c].map((g) => g.name).join(' → ')
      this.problems.push({location, message: `group '${child}' is its own ancestor: ${chain}`})
      return
    }
    p.children.push(c)
    c.parents.push(p)
  }

  /** Every group the host is in, directly or as a descendant (Ansible's Host.groups). */
  memberOf(host: HostNode): Set<GroupNode> {
    const found = new Set<GroupNode>()
    const climb = (group: GroupNode): void => {
      if (found.has(group)) return
      found.add(group)
      group.parents.forEach(climb)
    }
    host.direct.forEach(climb)
    return found
  }

  /** Ansible's reconcile_inventory(): parentless groups go under `all`, hosts in no group under `ungrouped`. */
  reconcile(): string[] {
    const all = this.groups.get('all')!
    const ungrouped = this.groups.get('ungrouped')!
    for (const group of this.groups.values()) {
      if (group !== all && group.parents.length === 0) this.addChild('all', group.name)
    }
    const grouped = new Set<HostNode>()
    for (const host of this.hosts.values()) {
      const groups = this.memberOf(host)
      if (groups.has(ungrouped)) {
        if ([...groups].some((g) => g !== all && g !== ungrouped)) grouped.add(host)
      } else if (groups.size === 0 || (groups.size === 1 && groups.has(all))) {
        this.listHost(ungrouped, host)
      }
    }
    this.unlistHosts(ungrouped, grouped)
    return [...this.hosts.keys()]
      .filter((name) => this.groups.has(name))
      .map((name) => `found both a group and a host named '${name}'`)
  }

  /** Longest path from `all` (Ansible's Group.depth once the inventory is reconciled). */
  depths(): Map<GroupNode, number> {
    const depth = new Map<GroupNode, number>()
    const visit = (group: GroupNode, d: number): void => {
      if ((depth.get(group) ?? -1) >= d) return
      depth.set(group, d)
      for (const child of group.children) visit(child, d + 1)
    }
    visit(this.groups.get('all')!, 0)
    for (const group of this.groups.values()) if (!depth.has(group)) visit(group, 0)
    return depth
  }
}
