import type {Machine, ToolVersions} from './environment.js'
import type {Timing} from './measure.js'
import type {ProfileSummary} from './profile.js'
import type {StartupTiming} from './startup.js'
import type {Changes, HealthResult, RoleName, RoundTrips} from './workloads.js'

/** Wall-clock milliseconds of each changing first run, per role and tool (each on a freshly booted lab). */
export type FirstRuns = Record<RoleName, Partial<Record<'Ansible' | 'goldentooth', number[]>>>

export interface NodeCountResults {
  adhoc: Timing[]
  elapsedMs: number
  first: FirstRuns
  /** How many first runs per tool were planned at this node count (fewer ran if the time budget ran out). */
  firstRunsTarget: number
  /** Absent when the converge workloads did not run at this node count. */
  health?: HealthResult
  labUpMs: number
  /** 1-minute load average as each workload started. */
  load: Record<string, number>
  nodes: number
  noop: Record<RoleName, Timing[]>
  /** What each tool changed in the checked run before the no-op race (the race's warm-up): 0 for a real no-op. */
  noopChanges: Record<RoleName, Record<string, Changes & {ms: number}>>
  /** What was cut for time at this node count, and why. */
  notes: string[]
  roundTrips?: Record<RoleName, RoundTrips>
  /** Peak RSS in KiB of goldentooth's process: `command all -- uptime` and a no-op `setup_slurm`. */
  rss: {adhoc: number[]; noop: number[]}
}

export interface BenchResults {
  budgets: {
    adhocMinimum: number
    adhocMs: number
    firstRunMs: number
    healthMinimum: number
    healthMs: number
    minutes: number
    noopMinimum: number
    noopMs: number
  }
  command: string
  counts: NodeCountResults[]
  finishedAt: string
  machine: Machine
  profiles: Array<ProfileSummary & {workload: string}>
  repetitions: number
  /** The invocations whose node counts these results hold (more than one after --append). */
  sessions?: Array<{command: string; finishedAt: string; loadAtStart: number[]; nodes: number[]; startedAt: string}>
  startedAt: string
  startup: StartupTiming[]
  tools: ToolVersions
}
