import type {Session} from '../fanout/session.js'
import type {HostIo} from './host-io.js'
import type {HostReporter} from './host-reporter.js'
import type {HostPlan} from './planning.js'
import type {ProbeSpec} from './probe-spec.js'
import type {HostReport} from './results.js'
import type {FetchRequest} from './role.js'
import type {RoleRun} from './role-run.js'

import {probeHost} from './host-io.js'
import {mergeObserved, type Observed} from './observed.js'
import {planHost} from './planning.js'
import {mergeSpecs, missingFromProbe, probeSpecFor} from './probe-spec.js'
import {planInputs} from './role-run.js'

function fetchSpec(requests: readonly FetchRequest[], host: string): ProbeSpec {
  return {
    ...probeSpecFor([]),
    paths: requests.filter((r) => r.host === host).map((r) => ({content: true, path: r.path})),
  }
}

/**
 * What the probe reads on each host of the run: on the targets, everything their plans on assumed facts touch and
 * the files the role fetches; on the other hosts whose facts or files the role reads, those files.
 */
export function probeSpecs(run: RoleRun): Map<string, ProbeSpec> {
  const {inventory, role, targets} = run
  const inputs = planInputs(run, {facts: new Map(), fetched: () => undefined, inventory, prepared: undefined})
  const fetches = role.fetch?.(inventory, targets) ?? []
  const specs = new Map(
    targets.map((host) => [host, mergeSpecs(probeSpecFor(planHost(inputs, host).resources), fetchSpec(fetches, host))]),
  )
  for (const host of [...(role.factsFrom?.(inventory) ?? []), ...fetches.map((r) => r.host)])
    if (!specs.has(host)) specs.set(host, fetchSpec(fetches, host))
  return specs
}

export interface Probed {
  /** Reports of the targets the probe did not reach. */
  failed: Map<string, HostReport>
  /** What the probe saw on each host that answered, targets or not. */
  observed: Map<string, Observed>
  /** Hosts other than the targets that did not answer. */
  warnings: string[]
}

/** Round trip 1 on every host of the session, at most --forks at once. */
export async function probeStep(
  session: Session,
  specs: ReadonlyMap<string, ProbeSpec>,
  targets: readonly string[],
  io: HostIo,
  reporter: HostReporter,
): Promise<Probed> {
  const outcomes = await session.forEach(async (connection, host) => {
    reporter.update(host, 'probing')
    return probeHost(connection, specs.get(host)!, {...io, signal: session.signal})
  })
  const probed: Probed = {failed: new Map(), observed: new Map(), warnings: []}
  for (const outcome of outcomes) {
    if (outcome.status === 'done') {
      probed.observed.set(outcome.host, outcome.value)
      continue
    }
    const why = outcome.status === 'interrupted' ? 'interrupted' : outcome.error.message
    if (targets.includes(outcome.host))
      probed.failed.set(outcome.host, reporter.failed(outcome.host, why, outcome.status === 'unreachable'))
    else probed.warnings.push(`${outcome.host}: not reachable for facts or files (${why}); assumed facts used`)
  }
  return probed
}

/**
 * A plan on the probed facts can touch more than the one on assumed facts: probe what it adds, one host after the
 * other. Returns what is now known of every host.
 */
export async function probeMissing(
  session: Session,
  plans: ReadonlyMap<string, HostPlan>,
  specs: ReadonlyMap<string, ProbeSpec>,
  observed: ReadonlyMap<string, Observed>,
  io: HostIo,
): Promise<Map<string, Observed>> {
  const known = new Map(observed)
  for (const [host, plan] of plans) {
    const missing = missingFromProbe(probeSpecFor(plan.resources), specs.get(host)!)
    if (!missing) continue
    const extra = await probeHost(await session.connection(host), missing, {...io, signal: session.signal})
    known.set(host, mergeObserved(known.get(host)!, extra))
  }
  return known
}
