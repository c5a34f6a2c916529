import type {Interrupt} from '../fanout/interrupt.js'
import type {Inventory} from '../inventory/model.js'
import type {ConvergeReport} from './results.js'
import type {Finding, Role, RoleOptions} from './role.js'
import type {RoleRun, RunSettings, Serial} from './role-run.js'
import type {SecretStore} from './secrets.js'

import {InvalidInputError, UsageError} from '../core/errors.js'
import {stateDirFor} from '../core/state-dir.js'
import {Session, type SessionSettings, sessionOptions} from '../fanout/session.js'
import {selectHosts} from '../patterns/select.js'
import {hostReporter} from './host-reporter.js'
import {operatorInfo} from './operator.js'
import {runPipeline} from './pipeline.js'
import {probeSpecs} from './probe-step.js'
import {createProgress} from './progress.js'
import {ENGINE_PATHS} from './remote/paths.js'
import {Templates} from './templates.js'

export interface ConvergeOptions extends SessionSettings {
  /** A directory of release binaries and their SHA256SUMS, for machines without internet. */
  artifacts?: string | undefined
  /** Change nothing; report what would change. */
  check: boolean
  /** Keep each file's diff in the report (secrets masked). */
  diff: boolean
  forks: number
  inventory: string
  /** Draw no live progress: the report is printed as one JSON document. */
  json: boolean
  /** The role's own options (RoleEntry.options). */
  options?: RoleOptions
  serial?: Serial | undefined
  /** A directory whose files override templates/ by relative path. */
  templates?: string | undefined
  /** Seconds one host may take to apply (0: no limit). */
  timeout: number
}

/** The role's own hosts, narrowed by the pattern argument and --limit. */
export function roleTargets(
  inventory: Inventory,
  role: Role,
  pattern: string | undefined,
  limit: string | undefined,
): string[] {
  let {hosts} = selectHosts(inventory, role.hosts, pattern ? {limit: pattern} : {})
  if (limit) {
    const allowed = new Set(selectHosts(inventory, 'all', {limit}).hosts)
    hosts = hosts.filter((host) => allowed.has(host))
  }
  if (hosts.length === 0)
    throw new UsageError(`no hosts of ${role.hosts} match ${[pattern, limit].filter(Boolean).join(' and ')}`)
  return hosts
}

/**
 * The targets of each role of a sequence. A role none of whose hosts match PATTERN and --limit is left out (the CA
 * host when only clients are targeted); a cluster step runs on its own hosts whenever another role has targets, and
 * is left out when the inventory has none.
 */
export function sequenceTargets(
  inventory: Inventory,
  roles: readonly Role[],
  pattern: string | undefined,
  limit: string | undefined,
): Array<[Role, string[]]> {
  let firstError: unknown
  const targeted = roles.map((role): [Role, string[]] => {
    try {
      return [
        role,
        role.clusterStep ? selectHosts(inventory, role.hosts, {}).hosts : roleTargets(inventory, role, pattern, limit),
      ]
    } catch (error) {
      if (!(error instanceof UsageError) || roles.length === 1) throw error
      if (!role.clusterStep) firstError ??= error
      return [role, []]
    }
  })
  if (firstError && targeted.every(([role, hosts]) => role.clusterStep || hosts.length === 0)) throw firstError
  return targeted.filter(([, hosts]) => hosts.length > 0)
}

/**
 * Plan-time errors stop the run (exit 3); every role of a sequence is checked before the first one starts. Returns
 * the warnings, which go with the role's report.
 */
export function refuseFindings(role: Role, findings: readonly Finding[]): string[] {
  const errors = findings.filter((finding) => finding.level === 'error')
  if (errors.length > 0) {
    throw new InvalidInputError(
      `${role.name} cannot run: ${errors.map((e) => (e.host ? `${e.host}: ${e.message}` : e.message)).join('; ')}`,
    )
  }
  return findings.filter((f) => f.level === 'warning').map((f) => (f.host ? `${f.host}: ${f.message}` : f.message))
}

/**
 * One role on its hosts (its check() findings are the caller's): open a session to the targets and the hosts whose
 * facts or files the role reads, and run the pipeline on it.
 */
export async function convergeRole(
  role: Role,
  inventory: Inventory,
  targets: string[],
  options: ConvergeOptions,
  interrupt: Interrupt,
  secrets: SecretStore,
): Promise<ConvergeReport> {
  const started = performance.now()
  const run: RoleRun = {
    inventory,
    operator: await operatorInfo(),
    options: options.options ?? {},
    role,
    secrets,
    targets,
    templates: Templates.forInventory(inventory.baseDir, options.templates),
  }
  const settings: RunSettings = {
    artifactsDir: options.artifacts,
    check: options.check,
    diff: options.diff,
    forks: options.forks,
    paths: ENGINE_PATHS,
    serial: options.serial,
    stateDir: stateDirFor(options.inventory),
    timeoutMs: options.timeout * 1000,
  }
  const specs = probeSpecs(run)
  const session = await Session.open(inventory, [...specs.keys()], sessionOptions(options, interrupt.signal))
  const progress = await createProgress(targets, {json: options.json, title: role.name})
  try {
    return await runPipeline(session, run, specs, settings, interrupt, hostReporter(progress, options.check, started))
  } finally {
    await progress.close()
    await session.close()
  }
}
