import type {Interrupt} from '../fanout/interrupt.js'
import type {Session} from '../fanout/session.js'
import type {HostReporter} from './host-reporter.js'
import type {Observed} from './observed.js'
import type {ProbeSpec} from './probe-spec.js'
import type {ConvergeReport} from './results.js'
import type {RoleRun, RunSettings} from './role-run.js'

import {withHostFacts} from './ansible-facts.js'
import {applyBatches} from './apply-batches.js'
import {applyHostStep} from './apply-host-step.js'
import {applyInWaves} from './apply-waves.js'
import {compareStep, planStep} from './plan-step.js'
import {prepareStep} from './prepare-step.js'
import {probeMissing, probeStep} from './probe-step.js'
import {planInputs} from './role-run.js'

const NOT_RUN = 'not run: interrupted'
const SERIAL_STOPPED = 'not run: an earlier --serial batch failed'

function fetchedFrom(observed: ReadonlyMap<string, Observed>) {
  return (host: string, path: string) => {
    const state = observed.get(host)?.paths.get(path)
    return state?.exists && state.type === 'file' ? state.content : undefined
  }
}

/**
 * One role on the session's hosts: probe (one round trip), prepare, plan, compare, and unless --check apply (one
 * more) in waves. `specs` says what to probe on each host of the session (probeSpecs).
 */
export async function runPipeline(
  session: Session,
  run: RoleRun,
  specs: ReadonlyMap<string, ProbeSpec>,
  settings: RunSettings,
  interrupt: Pick<Interrupt, 'force' | 'signal'>,
  reporter: HostReporter,
): Promise<ConvergeReport> {
  const {role, targets} = run
  const io = {paths: settings.paths, timeoutMs: settings.timeoutMs}
  const probed = await probeStep(session, specs, targets, io, reporter)
  const reached = targets.filter((host) => probed.observed.has(host))
  if (interrupt.signal.aborted || reached.length === 0)
    return reporter.report(targets, probed.failed, NOT_RUN, probed.warnings)
  const facts = new Map([...probed.observed].map(([host, observed]) => [host, observed.facts]))
  const stage = {facts, fetched: fetchedFrom(probed.observed), inventory: withHostFacts(run.inventory, facts)}
  const prepared = await prepareStep(
    session,
    run,
    planInputs(run, {...stage, prepared: undefined}),
    reached,
    settings,
    interrupt.force,
  )
  const plans = planStep(planInputs(run, {...stage, prepared}), reached)
  const observed = await probeMissing(session, plans, specs, probed.observed, io)
  const mask = (text: string) => run.secrets.mask(text)
  const work = compareStep(plans, observed, mask)
  const applyOptions = {...io, check: settings.check, diff: settings.diff, force: interrupt.force, mask}
  const applied = await applyInWaves(
    applyBatches(targets, new Set(role.applyFirst?.(run.inventory)), settings.serial),
    work,
    (host, hostWork) => applyHostStep(session, host, hostWork, applyOptions, reporter),
    {earlier: probed.failed, forks: settings.forks, serial: settings.serial !== undefined, signal: interrupt.signal},
  )
  return reporter.report(
    targets,
    new Map([...probed.failed, ...applied.reports]),
    applied.stopped ? SERIAL_STOPPED : NOT_RUN,
    probed.warnings,
  )
}
