import {createHash} from 'node:crypto'

import type {TemplateScope} from '../template/index.js'
import type {HostScope, Inventory} from './model.js'

import {TemplateError} from '../template/errors.js'
import {pyStr} from '../template/repr.js'
import {templateValue} from '../template/template.js'
import {Undefined} from '../template/undefined.js'
import {LazyMapping, isDict, setItem} from '../template/values.js'

export interface HostScopeOptions {
  /**
   * A host's gathered facts as Ansible caches them (`ansible_default_ipv4`, `ansible_memtotal_mb`, …): they override
   * inventory variables, are never templated, and are also readable without the prefix under `ansible_facts`.
   */
  facts?: (host: string) => Record<string, unknown> | undefined
}

/** Ansible's `omit` placeholder (a random token per run in Ansible; fixed here so that output is reproducible). */
const OMIT = `__omit_place_holder__${createHash('sha1').update('goldentooth').digest('hex')}`

/** Magic variables set from the inventory itself: Ansible does not template them. */
const MAGIC = new Set(['inventory_hostname', 'inventory_hostname_short', 'group_names', 'groups', 'omit'])

/** One host's variables before templating, and which of them are never templated. */
interface RawVariables {
  values: Map<string, unknown>
  untemplated: Set<string>
}

/** What every host's scope shares for one inventory: raw variables, scopes and `hostvars`. */
class InventoryVariables {
  readonly inventory: Inventory
  private readonly facts: HostScopeOptions['facts']
  private readonly raws = new Map<string, RawVariables>()
  private readonly scopes = new Map<string, HostVariables>()
  private readonly views = new Map<string, HostVariables>()
  readonly hostvars: HostVars

  constructor(inventory: Inventory, facts: HostScopeOptions['facts']) {
    this.inventory = inventory
    this.facts = facts
    this.hostvars = new HostVars(this)
  }

  raw(host: string): RawVariables {
    let raw = this.raws.get(host)
    if (!raw) {
      const values = new Map(Object.entries(this.inventory.rawHostVars(host)))
      const untemplated = new Set<string>()
      const facts = this.facts?.(host)
      if (facts) {
        const namespaced: Record<string, unknown> = {}
        for (const [name, value] of Object.entries(facts)) {
          setItem(namespaced, name.startsWith('ansible_') && name !== 'ansible_local' ? name.slice(8) : name, value)
          values.set(name, value)
          untemplated.add(name)
        }
        values.set('ansible_facts', namespaced)
        untemplated.add('ansible_facts')
      }
      values.set('omit', OMIT)
      for (const name of MAGIC) untemplated.add(name)
      raw = {untemplated, values}
      this.raws.set(host, raw)
    }
    return raw
  }

  /** The host's own view, as a task on that host sees its variables (with `hostvars` and `vars`). */
  scope(host: string): HostVariables {
    let scope = this.scopes.get(host)
    if (!scope) {
      scope = new HostVariables(this, host, true)
      this.scopes.set(host, scope)
    }
    return scope
  }

  /** The variables as `hostvars[host]` templates them: without `hostvars` (Ansible leaves it out there). */
  view(host: string): HostVariables {
    let view = this.views.get(host)
    if (!view) {
      view = new HostVariables(this, host, false)
      this.views.set(host, view)
    }
    return view
  }
}

/**
 * Templating as HostVarsVars does it (fail_on_undefined=False): a string whose template uses something undefined is
 * returned as written, element by element in lists and dicts.
 */
function templateLeniently(value: unknown, scope: TemplateScope): unknown {
  if (typeof value === 'string') {
    try {
      return templateValue(value, scope)
    } catch (error) {
      if (error instanceof TemplateError && error.kind === 'undefined') return value
      throw error
    }
  }
  if (Array.isArray(value)) return value.map((item) => templateLeniently(item, scope))
  if (isDict(value)) {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) setItem(out, key, templateLeniently(item, scope))
    return out
  }
  return value
}

/** `hostvars[host]`: each variable templated for that host when read. */
class HostVarsVars extends LazyMapping {
  readonly typeName = 'HostVarsVars'
  readonly typeModule = 'ansible.vars.hostvars'
  private readonly variables: InventoryVariables
  private readonly host: string
  private readonly cache = new Map<string, unknown>()

  constructor(variables: InventoryVariables, host: string) {
    super()
    this.variables = variables
    this.host = host
  }

  has(key: string): boolean {
    return this.variables.raw(this.host).values.has(key)
  }

  get(key: string): unknown {
    if (this.cache.has(key)) return this.cache.get(key)
    const raw = this.variables.raw(this.host)
    if (!raw.values.has(key)) return undefined
    const value = raw.values.get(key)
    const result = raw.untemplated.has(key) ? value : templateLeniently(value, this.variables.view(this.host))
    this.cache.set(key, result)
    return result
  }

  keys(): string[] {
    return [...this.variables.raw(this.host).values.keys()]
  }
}

/** `hostvars`: every inventory host's variables, templated for that host. */
class HostVars extends LazyMapping {
  readonly typeName = 'HostVars'
  readonly typeModule = 'ansible.vars.hostvars'
  private readonly variables: InventoryVariables
  private readonly hosts = new Map<string, HostVarsVars>()

  constructor(variables: InventoryVariables) {
    super()
    this.variables = variables
  }

  has(key: string): boolean {
    return this.variables.inventory.hosts.has(key)
  }

  get(key: string): unknown {
    if (!this.has(key)) return undefined
    let host = this.hosts.get(key)
    if (!host) {
      host = new HostVarsVars(this.variables, key)
      this.hosts.set(key, host)
    }
    return host
  }

  keys(): string[] {
    return [...this.variables.inventory.hosts.keys()]
  }
}

/** `vars`: the host's variables as written, not templated (Ansible's copy of the raw variables). */
class RawVars extends LazyMapping {
  readonly typeName = 'dict'
  readonly typeModule = 'builtins'
  private readonly scope: HostVariables

  constructor(scope: HostVariables) {
    super()
    this.scope = scope
  }

  has(key: string): boolean {
    return this.scope.raw(key) !== undefined
  }

  get(key: string): unknown {
    return this.scope.raw(key)
  }

  keys(): string[] {
    return this.scope.names()
  }
}

/** One host's variables, each templated when first read and then kept. */
class HostVariables implements HostScope {
  private readonly variables: InventoryVariables
  private readonly host: string
  /** With `hostvars` and `vars`: the host's own view, not the one `hostvars[host]` gives. */
  private readonly own: boolean
  private readonly cache = new Map<string, unknown>()
  private readonly evaluating: string[] = []
  private rawVars: RawVars | undefined

  constructor(variables: InventoryVariables, host: string, own: boolean) {
    this.variables = variables
    this.host = host
    this.own = own
  }

  raw(name: string): unknown {
    if (this.own && name === 'hostvars') return this.variables.hostvars
    if (this.own && name === 'vars') return (this.rawVars ??= new RawVars(this))
    return this.variables.raw(this.host).values.get(name)
  }

  names(): string[] {
    return [...this.variables.raw(this.host).values.keys()]
  }

  lookup(name: string): unknown {
    if (this.cache.has(name)) return this.cache.get(name)
    const raw = this.variables.raw(this.host)
    if (this.own && (name === 'hostvars' || name === 'vars')) return this.raw(name)
    if (!raw.values.has(name)) return new Undefined(name)
    const value = raw.values.get(name)
    if (raw.untemplated.has(name)) return value
    if (this.evaluating.includes(name)) {
      const chain = [...this.evaluating.slice(this.evaluating.indexOf(name)), name].join(' → ')
      throw new TemplateError({
        col: 1,
        kind: 'error',
        line: 1,
        problem: `recursive loop detected in template string: ${chain}`,
        template: typeof value === 'string' ? value : '',
      })
    }
    const location = this.variables.inventory.varLocation(this.host, name)
    const context = {host: this.host, variable: name, ...(location && {location})}
    this.evaluating.push(name)
    let result: unknown
    try {
      result = templateValue(value, this)
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error
      const located = error.withContext(context)
      if (error.kind !== 'undefined') throw located
      result = new Undefined(name, {cause: located, hint: `${pyStr(value)}: ${error.problem}`})
    } finally {
      this.evaluating.pop()
    }
    this.cache.set(name, result)
    return result
  }

  value(name: string): unknown {
    const result = this.lookup(name)
    if (!(result instanceof Undefined)) return result
    if (result.cause) throw result.cause
    throw new TemplateError({
      col: 1,
      host: this.host,
      kind: 'undefined',
      line: 1,
      problem: `'${name}' is undefined`,
      template: '',
      variables: [name],
    })
  }
}

const shared = new WeakMap<Inventory, Map<HostScopeOptions['facts'], InventoryVariables>>()

function inventoryVariables(inventory: Inventory, options: HostScopeOptions): InventoryVariables {
  let byFacts = shared.get(inventory)
  if (!byFacts) {
    byFacts = new Map()
    shared.set(inventory, byFacts)
  }
  let variables = byFacts.get(options.facts)
  if (!variables) {
    variables = new InventoryVariables(inventory, options.facts)
    byFacts.set(options.facts, variables)
  }
  return variables
}

/**
 * Ansible's view of one host's variables: each variable templated when first read (then kept), with
 * inventory_hostname, inventory_hostname_short, group_names, groups, hostvars (other hosts' variables, templated for
 * them when read), vars, omit and the host's facts. A variable whose template uses something undefined is an Undefined
 * inside templates (Ansible's lazy undefined); a variable that refers back to itself is an error naming the chain.
 */
export function hostScope(inventory: Inventory, host: string, options: HostScopeOptions = {}): HostScope {
  return inventoryVariables(inventory, options).scope(host)
}

/** What `ansible HOST -m debug -a 'msg=TEMPLATE'` prints for the host: the value, or the error. */
export function evaluateForHost(
  inventory: Inventory,
  host: string,
  template: string,
  options: HostScopeOptions = {},
): {ok: true; value: unknown} | {ok: false; error: TemplateError} {
  try {
    return {ok: true, value: templateValue(template, hostScope(inventory, host, options))}
  } catch (error) {
    if (error instanceof TemplateError) return {error: error.withContext({host}), ok: false}
    throw error
  }
}
