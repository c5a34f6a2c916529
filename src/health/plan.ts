import type {Inventory} from '../inventory/model.js'
import type {ClusterCheck, HostCheck, HostContext, Probe, Suite} from './model.js'
import type {SuiteName} from './suite-names.js'

import {formatLocation} from '../core/errors.js'
import {hostAddress} from '../roles/vars.js'
import {healthSettings} from './settings.js'
import {inGroups} from './groups.js'

export interface PlannedHostCheck {
  suite: SuiteName
  check: HostCheck
  /** Index into the host's probes; absent for checks without a probe. */
  probe?: number
}

export interface HostPlan {
  context: HostContext
  checks: PlannedHostCheck[]
  /** `suite/check` of each cluster check this host collects for → index into `probes`. */
  collectors: Map<string, number>
  /** Each distinct probe once: checks that share a probe share its one run. */
  probes: Probe[]
  /** Suites whose checks apply here by group, skipped by `health_skip_suites`, with where that was set. */
  skipped: Array<{suite: SuiteName; where: string}>
}

export interface PlannedClusterCheck {
  suite: SuiteName
  check: ClusterCheck
  /** Selected hosts that run the collector probe, in inventory order. */
  collectors: string[]
  /** Why it cannot run although its group exists: no host of it was selected. */
  notSelected?: string
}

export interface HealthPlan {
  suites: readonly Suite[]
  hosts: HostPlan[]
  cluster: PlannedClusterCheck[]
}

export const clusterKey = (suite: SuiteName, check: ClusterCheck) => `${suite}/${check.name}`

export function hostContext(inventory: Inventory, host: string): HostContext {
  const vars = inventory.hostVars(host)
  return {address: hostAddress(vars) ?? host, host, inventory, settings: healthSettings(inventory, host, vars), vars}
}

/**
 * Decide what runs where: each selected host gets the checks of the selected suites its groups give it (a host outside
 * a service's groups gets none, which is neither a pass nor a failure), plus the collector probes of cluster checks.
 */
export function planHealth(inventory: Inventory, selected: readonly string[], suites: readonly Suite[]): HealthPlan {
  const plans = selected.map((host): HostPlan => {
    const context = hostContext(inventory, host)
    return {checks: [], collectors: new Map(), context, probes: [], skipped: []}
  })
  const probeIndex = (plan: HostPlan, probe: Probe) => {
    const key = JSON.stringify(probe)
    const found = plan.probes.findIndex((existing) => JSON.stringify(existing) === key)
    if (found >= 0) return found
    plan.probes.push(probe)
    return plan.probes.length - 1
  }
  const skips = (plan: HostPlan, suite: SuiteName) => plan.context.settings.skipSuites.includes(suite)
  const noteSkip = (plan: HostPlan, suite: SuiteName) => {
    if (plan.skipped.some((entry) => entry.suite === suite)) return
    const location = inventory.varLocation(plan.context.host, 'health_skip_suites')
    plan.skipped.push({suite, where: location ? formatLocation(location) : 'health_skip_suites'})
  }

  for (const suite of suites) {
    for (const plan of plans) {
      for (const check of suite.hostChecks) {
        if (!inGroups(inventory, plan.context.host, check.groups)) continue
        if (skips(plan, suite.name)) {
          noteSkip(plan, suite.name)
          continue
        }
        const probe = check.probe?.(plan.context)
        plan.checks.push({check, suite: suite.name, ...(probe ? {probe: probeIndex(plan, probe)} : {})})
      }
    }
  }

  const cluster: PlannedClusterCheck[] = []
  for (const suite of suites) {
    for (const check of suite.clusterChecks) {
      const members = plans.filter((plan) => inGroups(inventory, plan.context.host, check.collectFrom))
      const collectors = members.filter((plan) => !skips(plan, suite.name))
      for (const plan of members) if (skips(plan, suite.name)) noteSkip(plan, suite.name)
      for (const plan of collectors) {
        plan.collectors.set(clusterKey(suite.name, check), probeIndex(plan, check.probe(plan.context)))
      }
      if (collectors.length > 0) {
        cluster.push({check, collectors: collectors.map((plan) => plan.context.host), suite: suite.name})
      } else if (members.length === 0 && check.collectFrom.some((group) => inventory.groupHosts(group).length > 0)) {
        cluster.push({
          check,
          collectors: [],
          notSelected: `no host of ${check.collectFrom.join(', ')} was selected`,
          suite: suite.name,
        })
      }
    }
  }
  return {cluster, hosts: plans, suites}
}

/** Hosts with something to run (a host whose only suites are skipped is not contacted). */
export function hostsToContact(plan: HealthPlan): HostPlan[] {
  return plan.hosts.filter((host) => host.checks.length > 0 || host.collectors.size > 0)
}
