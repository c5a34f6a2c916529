import type {Inventory} from '../inventory/model.js'
import type {ConvergeReport} from './results.js'
import type {Finding, Role, RoleOptions} from './role.js'
import type {RoleRun, RunSettings} from './role-run.js'

import type {Serial} from '../cli/converge-flags.js'

import {InvalidInputError, UsageError} from '../core/errors.js'
import {EXIT} from '../core/exit-codes.js'
import {stateDirFor} from '../core/state-dir.js'
import {type Interrupt, interruptedExitCode, interruptOnSignals} from '../fanout/interrupt.js'
import {recordRetry} from '../fanout/retry-file.js'
import {Session, sessionOptions} from '../fanout/session.js'
import {openInventory} from '../inventory/open.js'
import {selectHosts} from '../patterns/select.js'
import {withHostFacts} from './ansible-facts.js'
import {hostReporter} from './host-reporter.js'
import {operatorInfo} from './operator.js'
import {runPipeline} from './pipeline.js'
import {probeSpecs} from './probe-step.js'
import {createProgress} from './progress.js'
import {ENGINE_PATHS} from './remote/paths.js'
import {mergeReports} from './results.js'
import {withStateLock} from '../state/lock.js'
import {SecretStore} from './secrets.js'
import {Templates} from './templates.js'

export interface ConvergeFlags {
  artifacts?: string | undefined
  check: boolean
  'connect-timeout': number
  'detailed-exitcode': boolean
  diff: boolean
  forks: number
  'insecure-accept-host-keys': boolean
  inventory: string
  json: boolean
  limit?: string | undefined
  /** The role's own options (RoleEntry.options). */
  options?: RoleOptions
  serial?: Serial | undefined
  'ssh-config'?: string | undefined
  templates?: string | undefined
  timeout: number
  'vault-password-file'?: string | undefined
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
function refuseFindings(role: Role, findings: readonly Finding[]): string[] {
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
  flags: ConvergeFlags,
  interrupt: Interrupt,
  secrets: SecretStore,
): Promise<ConvergeReport> {
  const started = performance.now()
  const run: RoleRun = {
    inventory,
    operator: await operatorInfo(),
    options: flags.options ?? {},
    role,
    secrets,
    targets,
    templates: Templates.forInventory(inventory.baseDir, flags.templates),
  }
  const settings: RunSettings = {
    artifactsDir: flags.artifacts,
    check: flags.check,
    diff: flags.diff,
    forks: flags.forks,
    paths: ENGINE_PATHS,
    serial: flags.serial,
    stateDir: stateDirFor(flags.inventory),
    timeoutMs: flags.timeout * 1000,
  }
  const specs = probeSpecs(run)
  const session = await Session.open(inventory, [...specs.keys()], sessionOptions(flags, interrupt.signal))
  const progress = await createProgress(targets, {json: flags.json, title: role.name})
  try {
    return await runPipeline(session, run, specs, settings, interrupt, hostReporter(progress, flags.check, started))
  } finally {
    await progress.close()
    await session.close()
  }
}

/**
 * Converge a role (or a sequence of roles, one after another: a CA before its clients) on its hosts. A role in a
 * sequence starts only when the ones before it succeeded everywhere.
 */
export async function converge(
  roles: readonly Role[],
  pattern: string | undefined,
  flags: ConvergeFlags,
): Promise<{exitCode: number; json: ConvergeReport}> {
  const started = performance.now()
  const inventory = withHostFacts(await openInventory(flags))
  const reports: ConvergeReport[] = []
  const sequence = sequenceTargets(inventory, roles, pattern, flags.limit)
  const warnings = new Map(
    sequence.map(([role, targets]) => [role, refuseFindings(role, role.check?.({hosts: targets, inventory}) ?? [])]),
  )
  const stateDir = stateDirFor(flags.inventory)
  const secrets = new SecretStore(`${stateDir}/secrets`, !flags.check)
  for (const [role] of sequence) for (const spec of role.secrets ?? []) secrets.ensure(spec)
  const run = async () => {
    const interrupt = interruptOnSignals({
      first: 'interrupting: no new hosts or roles start; running applies finish (Ctrl-C again to stop them)',
      second: 'stopping the running applies (Ctrl-C again to quit now)',
    })
    try {
      for (const [role, targets] of sequence) {
        if (interrupt.signal.aborted) break
        const report = await convergeRole(role, inventory, targets, flags, interrupt, secrets)
        reports.push({...report, warnings: [...(warnings.get(role) ?? []), ...report.warnings]})
        if (report.hosts.some((host) => !host.ok)) break
      }
    } finally {
      interrupt.dispose()
    }
    return interrupt.signal
  }
  const description = sequence.map(([role]) => role.name).join(', ')
  const interrupted = flags.check ? await run() : await withStateLock(stateDir, description, run)
  const report = mergeReports(reports, Math.round(performance.now() - started), flags.check)
  const failed = report.hosts.filter((host) => !host.ok).map((host) => host.host)
  if (!flags.json) {
    const {renderConverge} = await import('./render-report.js')
    process.stdout.write(renderConverge(report, {diff: flags.diff}))
  }
  const retry = await recordRetry(stateDir, failed, flags.json)
  const exitCode = interrupted.aborted
    ? interruptedExitCode(interrupted)
    : failed.length > 0
      ? EXIT.failed
      : flags.check && flags['detailed-exitcode'] && report.summary.changed > 0
        ? EXIT.usage
        : EXIT.ok
  return {exitCode, json: {...report, ...retry}}
}
