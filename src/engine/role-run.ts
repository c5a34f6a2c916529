import type {Inventory} from '../inventory/model.js'
import type {PlanInputs} from './planning.js'
import type {EnginePaths} from './remote/paths.js'
import type {OperatorInfo, Role, RoleOptions} from './role.js'
import type {SecretStore} from './secrets.js'
import type {Templates} from './templates.js'

/** Apply in batches of this many hosts, or of this percentage of the role's hosts. */
export type Serial = {hosts: number} | {percent: number}

/** One role on its targets: what every step of its run reads, fixed before the run starts. */
export interface RoleRun {
  /** As the run opened it; plans see it with the probed facts. */
  inventory: Inventory
  operator: OperatorInfo
  options: RoleOptions
  role: Role
  secrets: SecretStore
  targets: readonly string[]
  templates: Templates
}

/** How the run goes: the converge flags, in the engine's terms. */
export interface RunSettings {
  artifactsDir: string | undefined
  check: boolean
  diff: boolean
  forks: number
  paths: EnginePaths
  serial: Serial | undefined
  stateDir: string
  /** How long one host's probe or apply may take; 0: no limit. */
  timeoutMs: number
}

/** What the plan of a host reads at a stage of the run: facts, fetched files and prepare's result so far. */
export function planInputs(
  run: RoleRun,
  stage: Pick<PlanInputs, 'facts' | 'fetched' | 'inventory' | 'prepared'>,
): PlanInputs {
  const {operator, options, role, secrets, templates} = run
  return {...stage, operator, options, role, secrets, templates}
}
