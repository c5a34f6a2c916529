import type {Inventory, Vars} from '../inventory/model.js'
import type {ExecResult} from '../transport/types.js'
import type {Facts} from './facts.js'
import type {Resource} from './resources.js'
import type {SecretSpec} from './secrets.js'

/** A problem found before anything runs. Errors stop the run (exit 3); warnings are printed. */
export interface Finding {
  host?: string
  level: 'error' | 'warning'
  message: string
}

export interface OperatorInfo {
  /** The operator's SSH public keys (~/.ssh/*.pub), for root's authorized_keys when the inventory names none. */
  publicKeys: string[]
}

/** A file the probe reads on a host for the role (a CA's root certificate, a node's public host key). */
export interface FetchRequest {
  host: string
  path: string
}

/** The values a role's own command-line options were given (RoleMeta.options), by name; unset ones are absent. */
export type RoleOptions = Readonly<Record<string, string>>

/** What `prepare` may use: the run's probed data, and I/O on the operator's machine (artifacts, signing). */
export interface PrepareContext {
  /** `--artifacts DIR`, for release binaries on machines without internet. */
  artifactsDir?: string | undefined
  /** Cache for downloaded artifacts on the operator's machine. */
  cacheDir: string
  /** --check: prepare must not create anything that outlives the run. */
  check: boolean
  /**
   * Run a command as root on a host of this run (a target, or a host named by factsFrom or fetch): a query of a
   * service's API, say. Secrets go in `stdin`, never in the command. Under --check it must change nothing.
   */
  exec(host: string, command: string, options?: {stdin?: string}): Promise<ExecResult>
  factsOf(host: string): Facts
  /** A file fetched in the probe; undefined when it does not exist on that host (or the host was unreachable). */
  fetched(host: string, path: string): Buffer | undefined
  /** The targets the probe reached: only they are planned and applied. */
  hosts: readonly string[]
  inventory: Inventory
  options: RoleOptions
  secret(name: string): Buffer
  stateDir: string
}

/** What a role's plan may read. Everything here is data: planning does no I/O. */
export interface HostContext {
  facts: Facts
  /** Facts of another host (probed in this run, or assumed when it was not reachable). */
  factsOf(host: string): Facts
  /** A file the role asked the probe to fetch (see Role.fetch). */
  fetched(host: string, path: string): Buffer | undefined
  host: string
  inventory: Inventory
  /** What the tool knows about the operator's machine. */
  operator: OperatorInfo
  options: RoleOptions
  /** What the role's prepare() returned (undefined for roles without one, and when rendering offline). */
  prepared: unknown
  /** A secret the role declared, generated once on the operator's machine. */
  secret(name: string): Buffer
  /** Render templates/shared/<path>, a shared role library's template (pki/…), as `template` renders. */
  sharedTemplate(path: string, extra?: Vars): string
  /** Render templates/<role>/<name> with the host's variables plus `extra`. */
  template(name: string, extra?: Vars): string
  vars: Vars
  /** Record a warning for this host (shown in the run's output, never fails it). */
  warn(message: string): void
}

export interface ClusterContext {
  /** Hosts the run targets. */
  hosts: readonly string[]
  inventory: Inventory
}

export interface Role {
  /**
   * Hosts whose changes are applied before any other target's (Slurm's controllers: a slurmd that starts before its
   * controller answers waits out a retry before it can launch jobs).
   */
  applyFirst?(inventory: Inventory): string[]
  /** Checks across hosts before anything runs (quorum sizes, renewal arithmetic). */
  check?(cluster: ClusterContext): Finding[]
  /**
   * A cluster-wide step of a sequence (ACL bootstrap on the first server): it runs on its own hosts whatever PATTERN
   * and --limit say, whenever another role of the sequence has targets.
   */
  clusterStep?: boolean
  description: string
  /** Hosts whose facts the plan reads besides the targets (every compute node for slurm.conf, say). */
  factsFrom?(inventory: Inventory): string[]
  /** Files to read on hosts in the probe round trip (hosts outside the targets are probed for them too). */
  fetch?(inventory: Inventory, hosts: readonly string[]): FetchRequest[]
  /** The pattern the role runs on when none is given (its own groups). */
  hosts: string
  name: string
  /** The resources one host needs, in the order they must be applied. Pure. */
  plan(context: HostContext): Resource[]
  /**
   * Work on the operator's machine between the probe and the plan: resolve release binaries, sign certificates.
   * Its result reaches plan() as context.prepared. A missing artifact throws here, before anything changes.
   */
  prepare?(context: PrepareContext): Promise<unknown>
  secrets?: SecretSpec[]
  summary: string
}
