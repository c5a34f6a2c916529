import type {SourceLocation} from '../core/errors.js'
import type {TemplateScope} from '../template/index.js'

export type Vars = Record<string, unknown>

export interface HostEntry {
  name: string
  /** The host's own variables: inline in the inventory file, then host_vars/ (later wins). */
  vars: Vars
  /** Groups that list this host directly (including `all`/`ungrouped` when it sits there), in the order they were read. */
  groups: string[]
  location: SourceLocation
}

export interface GroupEntry {
  name: string
  /** Hosts listed directly under this group, in file order. */
  hosts: string[]
  children: string[]
  parents: string[]
  /** The group's own variables: inline `vars:`, then group_vars/ (later wins). */
  vars: Vars
  /** Longest path from `all` (Ansible's Group.depth). */
  depth: number
  /** `ansible_group_priority` from the group's inline vars (default 1). */
  priority: number
  location?: SourceLocation
}

/** A host's gathered facts under Ansible's names (ansible_default_ipv4, …), or none known. */
export type FactsProvider = (host: string) => Vars | undefined

export interface HostVarsOptions {
  /** Replace values that came from Ansible Vault (encrypted files or `!vault` scalars) with `<vault>`. */
  maskSecrets?: boolean
}

export interface HostScope extends TemplateScope {
  /**
   * A variable's templated value for TypeScript callers: throws the TemplateError (with variable, host and where the
   * variable is defined) where templates would get an Undefined.
   */
  value(name: string): unknown
  /** The host's variables: the inventory's, the magic ones and facts (not the `hostvars` and `vars` views). */
  names(): string[]
}

/**
 * A loaded Ansible inventory. Maps keep Ansible's insertion order (`all`, `ungrouped`, then groups and hosts as read),
 * which host patterns depend on.
 */
export interface Inventory {
  /** The path the operator gave (file or directory). */
  readonly source: string
  /** Directory relative paths in the inventory are resolved against. */
  readonly baseDir: string
  readonly hosts: ReadonlyMap<string, HostEntry>
  readonly groups: ReadonlyMap<string, GroupEntry>
  /** Things Ansible would warn about but accept (duplicate keys, a name used for a group and a host, empty files). */
  readonly warnings: readonly string[]
  /** Hosts of a group and all its descendants, ordered and de-duplicated as Ansible's Group.get_hosts(); none for an unknown group. */
  groupHosts(group: string): string[]
  /**
   * Every group the host belongs to, directly or through ancestry, except `all`, sorted (Ansible's group_names: an
   * ungrouped host has `ungrouped`).
   */
  groupNames(host: string): string[]
  /**
   * Variables for a host as Ansible's tasks see them: merged with Ansible's precedence (all < parent group < child
   * group < host), plus the magic variables, and each templated when it is first read (`{{ cluster_name }}`,
   * `hostvars[…]`, facts from withFacts()). Reading a variable whose template fails throws the TemplateError (exit 3)
   * naming the variable, the host and where it is defined; variables nobody reads are never templated.
   */
  hostVars(host: string): Vars
  /** The scope templates evaluated for this host see (its variables, magic variables, hostvars, facts). */
  templateScope(host: string): HostScope
  /**
   * The merged variables as written, untemplated, plus inventory_hostname, inventory_hostname_short, group_names,
   * groups, inventory_dir and inventory_file. Throws InvalidInputError when a vault-encrypted value is needed and no
   * vault password is available.
   */
  rawHostVars(host: string, options?: HostVarsOptions): Vars
  /** The texts of the host's values that came from Ansible Vault, to mask wherever they surface. */
  vaultTexts(host: string): string[]
  /** The same inventory, with templates that read facts (ansible_*) seeing these. */
  withFacts(facts: FactsProvider): Inventory
  /** Where a host's variable was defined (host_vars file, group_vars file or inventory line), for error messages. */
  varLocation(host: string, name: string): SourceLocation | undefined
}
