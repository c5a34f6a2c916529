import {InvalidInputError, type SourceLocation} from '../core/errors.js'
import {looksLikeIpAddress} from './address.js'
import type {GroupNode, HostNode, InventoryBuilder, VarEntry, VarTable} from './builder.js'
import {hostScope} from './host-scope.js'
import type {FactsProvider, GroupEntry, HostEntry, HostScope, HostVarsOptions, Inventory, Vars} from './model.js'
import {templatedVars} from './templated-vars.js'
import {VAULT_PASSWORD_HINT} from './vault.js'
import {VAULT_PLACEHOLDER, type ValuePath} from './yaml-values.js'

/** The variables of one group_vars/ or host_vars/ file, or a vault file that could not be opened (no password). */
export type VarsFile = {file: string; vars: VarTable} | {file: string; locked: true}

export interface InventoryParts {
  source: string
  baseDir: string
  builder: InventoryBuilder
  groupFiles: Map<string, VarsFile[]>
  hostFiles: Map<string, VarsFile[]>
  warnings: string[]
}

interface MergedVars {
  entries: VarTable
  lockedFiles: string[]
}

function plain(tables: VarTable[]): Vars {
  const vars: Vars = {}
  for (const table of tables) for (const [name, entry] of table) vars[name] = entry.value
  return vars
}

function tablesOf(files: VarsFile[]): VarTable[] {
  return files.flatMap((file) => ('vars' in file ? [file.vars] : []))
}

function masked(value: unknown, paths: ValuePath[]): unknown {
  if (paths.some((p) => p.length === 0)) return VAULT_PLACEHOLDER
  const copy = structuredClone(value) as Record<string | number, unknown>
  for (const p of paths) {
    let parent: Record<string | number, unknown> = copy
    for (const key of p.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>
    parent[p.at(-1)!] = VAULT_PLACEHOLDER
  }
  return copy
}

const magic = (value: unknown): VarEntry => ({secrets: [], value})

/** A loaded inventory: Ansible's InventoryData plus its VariableManager.get_vars() for hosts. */
export class LoadedInventory implements Inventory {
  readonly source: string
  readonly baseDir: string
  readonly warnings: readonly string[]
  readonly hosts: ReadonlyMap<string, HostEntry>
  readonly groups: ReadonlyMap<string, GroupEntry>
  private readonly nodes: InventoryBuilder
  private readonly groupFiles: Map<string, VarsFile[]>
  private readonly hostFiles: Map<string, VarsFile[]>
  private readonly depth: Map<GroupNode, number>
  private readonly hostsCache = new Map<string, string[]>()
  private readonly varsCache = new Map<string, MergedVars>()
  private groupsCache: Readonly<Record<string, readonly string[]>> | undefined
  private facts: FactsProvider | undefined

  constructor(parts: InventoryParts) {
    this.source = parts.source
    this.baseDir = parts.baseDir
    this.warnings = parts.warnings
    this.nodes = parts.builder
    this.groupFiles = parts.groupFiles
    this.hostFiles = parts.hostFiles
    this.depth = parts.builder.depths()
    this.groups = new Map(
      [...this.nodes.groups.values()].map((g) => [
        g.name,
        {
          children: g.children.map((c) => c.name),
          depth: this.depth.get(g) ?? 0,
          hosts: g.hosts.map((h) => h.name),
          ...(g.location ? {location: g.location} : {}),
          name: g.name,
          parents: g.parents.map((p) => p.name),
          priority: g.priority,
          vars: plain([g.vars, ...tablesOf(this.groupFiles.get(g.name) ?? [])]),
        },
      ]),
    )
    this.hosts = new Map(
      [...this.nodes.hosts.values()].map((h) => [
        h.name,
        {
          groups: h.direct.map((g) => g.name),
          location: h.location,
          name: h.name,
          vars: plain([h.vars, ...tablesOf(this.hostFiles.get(h.name) ?? [])]),
        },
      ]),
    )
  }

  private group(name: string): GroupNode {
    const group = this.nodes.groups.get(name)
    if (!group) throw new Error(`unknown group '${name}'`)
    return group
  }

  private host(name: string): HostNode {
    const host = this.nodes.hosts.get(name)
    if (!host) throw new Error(`unknown host '${name}'`)
    return host
  }

  /**
   * Group.get_hosts(): the group, its children, then each following generation, collecting direct hosts. Ansible walks
   * generations past the children as a Python set (order varies by run); here each generation keeps discovery order.
   */
  groupHosts(name: string): string[] {
    const cached = this.hostsCache.get(name)
    if (cached) return [...cached]
    if (!this.nodes.groups.has(name)) return []
    const self = this.group(name)
    const ordered: GroupNode[] = [self, ...self.children]
    const seen = new Set(ordered)
    let frontier = [...ordered]
    while (frontier.length > 0) {
      const next: GroupNode[] = []
      for (const group of frontier) {
        for (const child of group.children) {
          if (seen.has(child)) continue
          seen.add(child)
          next.push(child)
        }
      }
      ordered.push(...next)
      frontier = next
    }
    const hosts = [...new Set(ordered.flatMap((g) => g.hosts.map((h) => h.name)))]
    this.hostsCache.set(name, hosts)
    return [...hosts]
  }

  groupNames(host: string): string[] {
    return [...this.nodes.memberOf(this.host(host))]
      .map((g) => g.name)
      .filter((n) => n !== 'all')
      .sort()
  }

  /** The host's groups other than `all`, in Ansible's sort_groups() order: (depth, priority, name). */
  private sortedGroups(host: HostNode): GroupNode[] {
    return [...this.nodes.memberOf(host)]
      .filter((g) => g.name !== 'all')
      .sort(
        (a, b) =>
          this.depth.get(a)! - this.depth.get(b)! ||
          a.priority - b.priority ||
          (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
      )
  }

  /** The `groups` variable, the same for every host: built once and frozen, as every host's vars share it. */
  private groupsVar(): Readonly<Record<string, readonly string[]>> {
    this.groupsCache ??= Object.freeze(
      Object.fromEntries([...this.nodes.groups.keys()].map((g) => [g, Object.freeze(this.groupHosts(g))])),
    )
    return this.groupsCache
  }

  /** VariableManager.get_vars(host) with the default VARIABLE_PRECEDENCE and hash_behaviour=replace. */
  private merged(name: string): MergedVars {
    const cached = this.varsCache.get(name)
    if (cached) return cached
    const host = this.host(name)
    const groups = this.sortedGroups(host)
    const entries: VarTable = new Map()
    const lockedFiles: string[] = []
    const apply = (table: VarTable): void => {
      for (const [key, entry] of table) entries.set(key, entry)
    }
    const applyFiles = (files: VarsFile[] | undefined): void => {
      for (const file of files ?? []) {
        if ('vars' in file) apply(file.vars)
        else lockedFiles.push(file.file)
      }
    }
    apply(this.group('all').vars)
    for (const group of groups) apply(group.vars)
    applyFiles(this.groupFiles.get('all'))
    for (const group of groups) applyFiles(this.groupFiles.get(group.name))
    apply(host.vars)
    entries.set('inventory_hostname', magic(name))
    entries.set('inventory_hostname_short', magic(looksLikeIpAddress(name) ? name : name.split('.')[0]))
    entries.set('group_names', magic(this.groupNames(name)))
    applyFiles(this.hostFiles.get(name))
    entries.set('groups', magic(this.groupsVar()))
    const result = {entries, lockedFiles}
    this.varsCache.set(name, result)
    return result
  }

  /** The merged variable entries, leaving out vault files that could not be opened (for validation). */
  entriesOf(host: string): VarTable {
    return this.merged(host).entries
  }

  hostVars(host: string): Vars {
    return templatedVars(this.templateScope(host))
  }

  templateScope(host: string): HostScope {
    return hostScope(this, host, this.facts ? {facts: this.facts} : {})
  }

  withFacts(facts: FactsProvider): Inventory {
    const view = Object.create(this) as LoadedInventory
    view.facts = facts
    return view
  }

  vaultTexts(host: string): string[] {
    const texts: string[] = []
    for (const entry of this.merged(host).entries.values()) {
      for (const path of entry.secrets) {
        const value = path.reduce<unknown>((at, key) => (at as Record<string | number, unknown>)?.[key], entry.value)
        if (typeof value === 'string' && value !== '') texts.push(value)
      }
    }
    return texts
  }

  rawHostVars(host: string, options: HostVarsOptions = {}): Vars {
    const {entries, lockedFiles} = this.merged(host)
    if (lockedFiles.length > 0) {
      throw new InvalidInputError(
        `${lockedFiles[0]}: is encrypted with Ansible Vault and no vault password is available`,
        undefined,
        VAULT_PASSWORD_HINT,
      )
    }
    const vars: Vars = {}
    for (const [key, entry] of entries) {
      if (entry.locked && !options.maskSecrets) {
        throw new InvalidInputError(
          `${key} is encrypted with Ansible Vault and no vault password is available`,
          entry.locked,
          VAULT_PASSWORD_HINT,
        )
      }
      vars[key] = options.maskSecrets && entry.secrets.length > 0 ? masked(entry.value, entry.secrets) : entry.value
    }
    return vars
  }

  varLocation(host: string, name: string): SourceLocation | undefined {
    return this.merged(host).entries.get(name)?.location
  }
}
