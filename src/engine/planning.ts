import type {Inventory, Vars} from '../inventory/model.js'
import type {Facts} from './facts.js'
import type {Resource} from './resources.js'
import type {HostContext, OperatorInfo, Role, RoleOptions} from './role.js'
import type {SecretStore} from './secrets.js'
import type {Templates} from './templates.js'

import {assumedFacts} from './facts.js'

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
  const templateVars = (extra: Vars = {}): Vars => ({...vars, facts, ...extra})
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
    template: (name, extra) => templates.render(`${role.name}/${name}`, templateVars(extra)),
    vars,
    warn: (message) => warnings.push(message),
  }
  return {resources: role.plan(context), warnings}
}
