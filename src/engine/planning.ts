import type {Inventory, Vars} from '../inventory/model.js'
import type {TemplateScope} from '../template/index.js'
import type {Facts} from './facts.js'
import type {Resource} from './resources.js'
import type {HostContext, OperatorInfo, Role, RoleOptions} from './role.js'
import type {SecretStore} from './secrets.js'
import type {Templates} from './templates.js'

import {assumedFacts} from './facts.js'
import {refuseUnresolved} from './unresolved.js'

export interface PlanInputs {
  /** Facts per host: probed, else assumed from the inventory. */
  facts: ReadonlyMap<string, Facts>
  fetched: (host: string, path: string) => Buffer | undefined
  inventory: Inventory
  operator: OperatorInfo
  options: RoleOptions
  prepared: unknown
  role: Role
  secrets: SecretStore
  templates: Templates
}

export interface HostPlan {
  resources: Resource[]
  warnings: string[]
}

export function factsFor(inputs: Pick<PlanInputs, 'facts' | 'inventory'>, host: string): Facts {
  return inputs.facts.get(host) ?? assumedFacts(host, inputs.inventory.hostVars(host))
}

/** Plan one host: the role's pure plan over its variables, facts and templates. */
export function planHost(inputs: PlanInputs, host: string): HostPlan {
  const {inventory, role, secrets, templates} = inputs
  const warnings: string[] = []
  const vars = inventory.hostVars(host)
  const facts = factsFor(inputs, host)
  const scope = inventory.templateScope(host)
  const templateScope = (extra: Vars = {}): TemplateScope => {
    const own: Vars = {facts, ...extra}
    return {
      lookup: (name) => (Object.hasOwn(own, name) ? own[name] : scope.lookup(name)),
      raw: (name) => (Object.hasOwn(own, name) ? own[name] : (scope.raw?.(name) ?? scope.lookup(name))),
    }
  }
  const context: HostContext = {
    facts,
    factsOf: (other) => factsFor(inputs, other),
    fetched: inputs.fetched,
    host,
    inventory,
    operator: inputs.operator,
    options: inputs.options,
    prepared: inputs.prepared,
    secret: (name) => secrets.get(name),
    sharedTemplate: (path, extra) => templates.render(`shared/${path}`, templateScope(extra)),
    template: (name, extra) => templates.render(`${role.name}/${name}`, templateScope(extra)),
    vars,
    warn: (message) => warnings.push(message),
  }
  const resources = role.plan(context)
  refuseUnresolved(inventory, host, resources)
  return {resources, warnings}
}
