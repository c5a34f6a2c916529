import type {SuiteName} from './suite-names.js'
import type {Inventory, Vars} from '../inventory/model.js'
import type {HealthSettings} from './settings.js'

export type CheckStatus = 'fail' | 'pass' | 'skip'

/** What one check concluded about one host, or about the cluster. */
export interface Verdict {
  name: string
  status: CheckStatus
  expected: string
  observed: string
  hint?: string
  /** Seconds until the certificate the check looked at expires (negative once it has expired). */
  certificateExpirySeconds?: number
}

/** The host label of checks about the whole cluster rather than one host. */
export const CLUSTER = 'cluster'

export interface CheckResult extends Verdict {
  /** An inventory host, or `cluster`. */
  host: string
  scope: 'cluster' | 'host'
  suite: SuiteName
  /** Measured: how long the probe behind this check ran on its host (0 for checks with no probe of their own). */
  durationMs: number
  /** How many times the probe ran before it passed or its retry window closed. */
  attempts: number
}

/**
 * A POSIX sh snippet run on the host inside the health script. Exit status 0 means healthy: while it is not 0 and its
 * retry window is open, the script runs it again (a service that is still starting), as Goss does.
 */
export interface Probe {
  script: string
  /** Seconds one attempt may run (default 10). */
  timeoutSeconds?: number
  /** Seconds to keep retrying a failing probe (default 0: once). */
  retrySeconds?: number
  /** Run before every other probe, alone (CPU sampling must not measure the other probes). */
  first?: boolean
}

export interface ProbeResult {
  exitCode: number
  stdout: string
  stderr: string
  durationMs: number
  attempts: number
}

/** The node's clock as the script read it, and when the operator sent the script and saw that reading arrive. */
export interface ClockSample {
  nodeEpochMs: number
  sentEpochMs: number
  receivedEpochMs: number
}

/** Everything a check may know about the host it runs on. */
export interface HostContext {
  host: string
  inventory: Inventory
  vars: Vars
  settings: HealthSettings
  /** The address other nodes reach the host at (ipv4_address, else ansible_host), else its name. */
  address: string
}

export interface HostInput {
  context: HostContext
  /** The probe's result; absent for checks without a probe. */
  result?: ProbeResult
  clock?: ClockSample
  /** The operator's clock (epoch ms) when the host's results arrived. */
  nowMs: number
}

/** A check that runs on every host in any of `groups` (`all` for every host). */
export interface HostCheck {
  name: string
  summary: string
  groups: readonly string[]
  probe?: (context: HostContext) => Probe | undefined
  /** Returns one verdict, or several for checks that discover what to check (every certificate on the host). */
  evaluate: (input: HostInput) => Verdict[]
}

export interface Collected {
  host: string
  context: HostContext
  /** Absent when the host was unreachable or its script failed. */
  result?: ProbeResult
}

export interface ClusterContext {
  inventory: Inventory
  /** The operator's clock (epoch ms) when the last host's results arrived. */
  nowMs: number
}

/** A check about the cluster, evaluated from what a probe reported on every selected host in `collectFrom`. */
export interface ClusterCheck {
  name: string
  summary: string
  collectFrom: readonly string[]
  probe: (context: HostContext) => Probe
  evaluate: (collected: readonly Collected[], context: ClusterContext) => Verdict[]
}

export interface Suite {
  name: SuiteName
  summary: string
  hostChecks: readonly HostCheck[]
  clusterChecks: readonly ClusterCheck[]
}

export interface HealthSummary {
  passed: number
  failed: number
  skipped: number
  durationMs: number
}

/** The `--json` document of `goldentooth test`. */
export interface HealthReport {
  checks: CheckResult[]
  summary: HealthSummary
}
