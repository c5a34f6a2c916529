import pLimit from 'p-limit'

import type {Interrupt} from '../fanout/interrupt.js'
import type {Inventory} from '../inventory/model.js'
import type {PlannedResource} from './compare.js'
import type {Facts} from './facts.js'
import type {Observed} from './observed.js'
import type {ProbeSpec} from './probe-spec.js'
import type {Handler} from './remote/apply-script.js'
import type {ConvergeReport, HostReport} from './results.js'
import type {FetchRequest, Finding, Role, RoleOptions} from './role.js'
import type {SecretStore} from './secrets.js'

import {InvalidInputError, UsageError} from '../core/errors.js'
import {stateDirFor} from '../core/state-dir.js'
import {Session, type SessionSettings, sessionOptions} from '../fanout/session.js'
import {selectHosts} from '../patterns/select.js'
import {asRoot} from '../transport/remote-command.js'
import {withHostFacts} from './ansible-facts.js'
import {artifactCacheDir} from './artifacts.js'
import {compare} from './compare.js'
import {applyHost, probeHost} from './host-io.js'
import {operatorInfo} from './operator.js'
import {factsFor, planHost, type PlanInputs} from './planning.js'
import {mergeSpecs, missingFromProbe, probeSpecFor} from './probe-spec.js'
import {createProgress} from './progress.js'
import {unitName} from './resources.js'
import {appliedResults, checkResults, failedHostReport, hostReport, summarizeConverge} from './results.js'
import {Templates} from './templates.js'
import {verifyChanges} from './verify.js'

/** Apply in batches of this many hosts, or of this percentage of the role's hosts. */
export type Serial = {hosts: number} | {percent: number}

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

/** Batches of hosts applied one after the other. */
export function batches(hosts: readonly string[], serial: Serial | undefined): string[][] {
  if (!serial) return [[...hosts]]
  const size = 'hosts' in serial ? serial.hosts : Math.max(1, Math.floor((hosts.length * serial.percent) / 100))
  const result: string[][] = []
  for (let i = 0; i < hosts.length; i += size) result.push(hosts.slice(i, i + size))
  return result
}

/** Handlers to run: those notified by planned changes, then restarts left pending by an earlier run, once each. */
export function handlersFor(planned: readonly PlannedResource[], observed: Observed): Handler[] {
  const handlers = new Map<string, Handler>()
  const add = (action: Handler['action'], service: string) => {
    const handler = {action, unit: unitName(service)}
    const key = `${handler.action}@${handler.unit}`
    if (!handlers.has(key)) handlers.set(key, handler)
  }
  for (const item of planned) for (const notify of item.notify) add(notify.action, notify.service)
  for (const pending of observed.pending) add(pending.action, pending.service)
  return [...handlers.values()]
}

interface HostState {
  observed?: Observed
  planned?: PlannedResource[]
  spec: ProbeSpec
  warnings: string[]
}

function fetchSpec(requests: readonly FetchRequest[], host: string): ProbeSpec {
  return {
    ...probeSpecFor([]),
    paths: requests.filter((r) => r.host === host).map((r) => ({content: true, path: r.path})),
  }
}

const NOT_RUN = 'not run: interrupted'

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** Plan-time errors stop the run (exit 3); every role of a sequence is checked before the first one starts. */
export function refuseFindings(role: Role, findings: readonly Finding[]): void {
  const errors = findings.filter((finding) => finding.level === 'error')
  if (errors.length > 0) {
    throw new InvalidInputError(
      `${role.name} cannot run: ${errors.map((e) => (e.host ? `${e.host}: ${e.message}` : e.message)).join('; ')}`,
    )
  }
}

/** One role on its hosts: probe (one round trip), prepare, plan, compare, and unless --check apply (one more). */
export async function convergeRole(
  role: Role,
  inventory: Inventory,
  targets: string[],
  flags: ConvergeOptions,
  interrupt: Interrupt,
  secrets: SecretStore,
): Promise<ConvergeReport> {
  const started = performance.now()
  const stateDir = stateDirFor(flags.inventory)
  const findings = role.check?.({hosts: targets, inventory}) ?? []
  refuseFindings(role, findings)
  const warnings = findings
    .filter((f) => f.level === 'warning')
    .map((f) => (f.host ? `${f.host}: ${f.message}` : f.message))
  const facts = new Map<string, Facts>()
  const fetched = new Map<string, Observed>()
  const fetchedFile = (host: string, path: string) => {
    const state = fetched.get(host)?.paths.get(path)
    return state?.exists && state.type === 'file' ? state.content : undefined
  }
  const inputs: PlanInputs = {
    facts,
    fetched: fetchedFile,
    inventory,
    operator: await operatorInfo(),
    options: flags.options ?? {},
    prepared: undefined,
    role,
    secrets,
    templates: Templates.forInventory(inventory.baseDir, flags.templates),
  }
  const fetches = role.fetch?.(inventory, targets) ?? []
  const states = new Map<string, HostState>(
    targets.map((host) => [
      host,
      {spec: mergeSpecs(probeSpecFor(planHost(inputs, host).resources), fetchSpec(fetches, host)), warnings: []},
    ]),
  )
  const extraHosts = [...new Set([...(role.factsFrom?.(inventory) ?? []), ...fetches.map((r) => r.host)])].filter(
    (h) => !states.has(h),
  )
  const session = await Session.open(inventory, [...targets, ...extraHosts], sessionOptions(flags, interrupt.signal))
  const progress = await createProgress(targets, {json: flags.json, title: role.name})
  const reports = new Map<string, HostReport>()
  const fail = (host: string, error: string, unreachable: boolean) => {
    reports.set(host, failedHostReport(host, error, unreachable, Math.round(performance.now() - started)))
    progress.done(host, `${unreachable ? 'unreachable' : 'failed'}: ${error}`, false)
  }
  try {
    const probes = await session.forEach(async (connection, host) => {
      progress.update(host, 'probing')
      return probeHost(
        connection,
        states.get(host)?.spec ?? fetchSpec(fetches, host),
        flags.timeout * 1000,
        interrupt.signal,
      )
    })
    for (const outcome of probes) {
      const state = states.get(outcome.host)
      if (outcome.status === 'done') {
        facts.set(outcome.host, outcome.value.facts)
        fetched.set(outcome.host, outcome.value)
        if (state) state.observed = outcome.value
        continue
      }
      const why = outcome.status === 'interrupted' ? 'interrupted' : message(outcome.error)
      if (state) fail(outcome.host, why, outcome.status === 'unreachable')
      else warnings.push(`${outcome.host}: not reachable for facts or files (${why}); assumed facts used`)
    }
    inputs.inventory = withHostFacts(inventory, facts)
    const reached = targets.filter((host) => states.get(host)?.observed)
    if (interrupt.signal.aborted || reached.length === 0) return finalReport()
    inputs.prepared = await role.prepare?.({
      artifactsDir: flags.artifacts,
      cacheDir: artifactCacheDir(),
      check: flags.check,
      exec: async (host, command, options = {}) => {
        const connection = await session.connection(host)
        return connection.exec(asRoot(connection.target, command), {
          ...options,
          ...(flags.timeout > 0 ? {timeoutMs: flags.timeout * 1000} : {}),
          signal: interrupt.force,
        })
      },
      factsOf: (host) => factsFor(inputs, host),
      fetched: fetchedFile,
      hosts: reached,
      inventory,
      options: inputs.options,
      secret: (name) => secrets.get(name),
      stateDir,
    })
    for (const [host, state] of states) {
      if (!state.observed) continue
      const plan = planHost(inputs, host)
      state.warnings.push(...plan.warnings)
      const missing = missingFromProbe(probeSpecFor(plan.resources), state.spec)
      if (missing) {
        const extra = await probeHost(await session.connection(host), missing, flags.timeout * 1000, interrupt.signal)
        state.observed = mergeObserved(state.observed, extra)
      }
      state.planned = compare(plan.resources, state.observed, (text) => secrets.mask(text))
    }
    const first = new Set(role.applyFirst?.(inventory))
    const waves = [targets.filter((host) => first.has(host)), targets.filter((host) => !first.has(host))]
    const limit = pLimit(flags.forks)
    for (const batch of waves.flatMap((wave) => (wave.length > 0 ? batches(wave, flags.serial) : []))) {
      if (interrupt.signal.aborted) break
      const ready = batch.filter((host) => states.get(host)?.planned)
      await Promise.all(ready.map((host) => limit(() => (interrupt.signal.aborted ? undefined : convergeHost(host)))))
      if (flags.serial && batch.some((host) => reports.get(host)?.ok === false)) {
        for (const host of targets)
          if (!reports.has(host)) fail(host, 'not run: an earlier --serial batch failed', false)
        break
      }
    }
    return finalReport()
  } finally {
    await progress.close()
    await session.close()
  }

  function finalReport(): ConvergeReport {
    for (const host of targets) if (!reports.has(host)) fail(host, NOT_RUN, false)
    const hosts = targets.map((host) => reports.get(host)!)
    return {hosts, summary: summarizeConverge(hosts, Math.round(performance.now() - started), flags.check), warnings}
  }

  async function convergeHost(host: string): Promise<void> {
    const state = states.get(host)!
    const planned = state.planned!
    const observed = state.observed!
    const handlers = handlersFor(planned, observed)
    const changes = planned.filter((item) => item.action !== undefined)
    const hostWarnings = [
      ...state.warnings,
      ...planned.filter((p) => p.status === 'warning').map((p) => `${p.id}: ${p.reasons.join('; ')}`),
    ]
    const finish = (resources: HostReport['resources']) => {
      const report = hostReport(host, resources, state.warnings, Math.round(performance.now() - started))
      reports.set(host, report)
      const text =
        report.failed > 0
          ? `${report.failed} failed`
          : report.changed > 0
            ? `${report.changed} ${flags.check ? 'to change' : 'changed'}`
            : 'no changes'
      progress.done(host, text, report.ok)
    }
    if (flags.check || (changes.length === 0 && handlers.length === 0 && !observed.daemonReloadPending)) {
      finish(checkResults(planned, flags.check ? handlers : [], flags.diff))
      return
    }
    progress.update(host, `applying ${changes.length} change(s)`)
    const artifacts = new Map(
      changes.flatMap((item) =>
        item.action?.op === 'artifact' ? [[item.action.localPath, item.action.sha256] as const] : [],
      ),
    )
    try {
      const steps = planned.flatMap((item, index) =>
        item.action ? [{action: item.action, index, unitChanged: item.unitChanged}] : [],
      )
      const output = await applyHost(
        await session.connection(host),
        {daemonReloadPending: observed.daemonReloadPending, handlers, steps},
        artifacts,
        flags.timeout * 1000,
        interrupt.force,
      )
      if (output.lockTimedOut) return fail(host, 'another goldentooth run held the host lock for 5 minutes', false)
      const connection = await session.connection(host)
      const resources = await verifyChanges({
        current: connection,
        observed,
        open: () => session.freshConnection(host),
        planned,
        results: appliedResults(planned, output, handlers, flags.diff),
        timeoutMs: Math.min(flags.timeout * 1000 || 60_000, 60_000),
      })
      if (output.exitCode === null || (output.exitCode !== 0 && !resources.some((r) => r.status === 'failed'))) {
        const detail = secrets.mask(output.stderr.trim().split('\n').slice(-3).join(' / '))
        const why = output.timedOut
          ? 'the apply script timed out'
          : interrupt.force.aborted
            ? 'the apply script was stopped by a second interrupt'
            : `the apply script failed: ${detail}`
        return fail(host, why, false)
      }
      finish(resources.map((r) => (r.message ? {...r, message: secrets.mask(r.message)} : r)))
    } catch (error) {
      fail(host, message(error), false)
    }
  }
}

function mergeObserved(into: Observed, extra: Observed): Observed {
  const merged = {...into}
  for (const key of ['groups', 'guards', 'modules', 'packages', 'paths', 'sysctls', 'units', 'users'] as const) {
    merged[key] = new Map([...into[key], ...extra[key]] as never) as never
  }
  return merged
}
