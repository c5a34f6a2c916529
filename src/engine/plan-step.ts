import type {PlannedResource} from './compare.js'
import type {Observed} from './observed.js'
import type {HostPlan, PlanInputs} from './planning.js'

import {compare} from './compare.js'
import {planHost} from './planning.js'

/** One host's plan compared with what its probe saw: what the apply step works from. */
export interface HostWork {
  observed: Observed
  planned: PlannedResource[]
  /** What the plan warned about on this host. */
  warnings: string[]
}

/** The plan of each host, on its probed facts and what prepare returned. Pure. */
export function planStep(inputs: PlanInputs, hosts: readonly string[]): Map<string, HostPlan> {
  return new Map(hosts.map((host) => [host, planHost(inputs, host)]))
}

/** Each plan compared with what the probe saw on its host. Pure. */
export function compareStep(
  plans: ReadonlyMap<string, HostPlan>,
  observed: ReadonlyMap<string, Observed>,
  mask: (text: string) => string,
): Map<string, HostWork> {
  return new Map(
    [...plans].map(([host, plan]) => {
      const seen = observed.get(host)!
      return [host, {observed: seen, planned: compare(plan.resources, seen, mask), warnings: plan.warnings}]
    }),
  )
}
