import {execa} from 'execa'
import {mkdir, readFile, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'

import type {Cli} from './cli.js'

import {stringify} from 'yaml'

import {LAB_SSH_CONFIG} from './lab.js'
import {type Contender, race, type RaceOptions, summarise, timeOnce, type Timing} from './measure.js'

export const ROOT = path.resolve(import.meta.dirname, '..')

/** The roles the converge workloads run, with the Ansible playbook that does the same. */
export const ROLES = ['configure_cluster', 'setup_slurm'] as const
export type RoleName = (typeof ROLES)[number]

export const TOOL = {
  goldentooth: 'goldentooth',
  parallel: 'GNU parallel + ssh',
  pssh: 'parallel-ssh (pssh)',
  ansible: 'Ansible',
} as const

/** Everything the workloads of one node count share. */
export interface Setting {
  cli: Cli
  hosts: string[]
  /** The lab's inventory with the shipped lab group_vars (see benchInventory). */
  inventory: string
  /** goldentooth's state directory (secrets: the MUNGE key), kept across `lab down`. */
  stateDir: string
  /** The files `goldentooth render` wrote for the Ansible playbooks. */
  rendered: string
}

export function goldentoothEnv(setting: Pick<Setting, 'stateDir'>): Record<string, string> {
  return {GOLDENTOOTH_STATE_DIR: setting.stateDir, NO_COLOR: '1'}
}

function ansibleEnv(setting: Pick<Setting, 'cli'>): Record<string, string> {
  return {
    ANSIBLE_PIPELINING: 'True',
    ANSIBLE_GATHERING: 'explicit',
    ANSIBLE_LOCAL_TEMP: path.join(setting.cli.work, 'ansible-tmp'),
    ANSIBLE_NOCOLOR: '1',
  }
}

const gt = (setting: Pick<Setting, 'cli' | 'inventory'>, args: string) =>
  `${setting.cli.command} -i ${setting.inventory} ${args}`

/** 1. One command on every host. */
export function adhocContenders(setting: Setting): Contender[] {
  const hosts = setting.hosts.length
  return [
    {command: gt(setting, 'command all -- uptime'), env: goldentoothEnv(setting), name: TOOL.goldentooth},
    {
      command: `parallel -j0 --tag ssh -F ${LAB_SSH_CONFIG} {} uptime ::: ${setting.hosts.join(' ')}`,
      name: TOOL.parallel,
    },
    {
      command: `parallel-ssh -i -p ${hosts} -x '-F ${LAB_SSH_CONFIG}' -H '${setting.hosts.join(' ')}' uptime`,
      name: TOOL.pssh,
    },
    {
      command: `ansible all -i ${setting.inventory} -m shell -a uptime -f ${hosts}`,
      env: ansibleEnv(setting),
      name: TOOL.ansible,
    },
  ]
}

export function convergeContenders(setting: Setting, role: RoleName, tools: readonly string[]): Contender[] {
  const playbook = path.join(ROOT, 'bench/ansible', `${role}.yml`)
  const munge = path.join(setting.stateDir, 'secrets/munge.key')
  const contenders: Contender[] = [
    {
      changesIn: (stdout) => (JSON.parse(stdout) as ConvergeJson).summary.changed,
      command: gt(setting, `${role} --json`),
      env: goldentoothEnv(setting),
      name: TOOL.goldentooth,
    },
    {
      changesIn: (stdout) => recap(stdout).changed,
      command: `ansible-playbook -i ${setting.inventory} -f ${setting.hosts.length} -e rendered=${setting.rendered} -e munge_key=${munge} ${playbook}`,
      env: ansibleEnv(setting),
      name: TOOL.ansible,
    },
  ]
  return contenders.filter((contender) => tools.includes(contender.name))
}

/** Changes each tool reported: goldentooth's --json summary, Ansible's PLAY RECAP (changed=, failed=, unreachable=). */
export interface Changes {
  changed: number
  failed: number
  /** What changed: goldentooth's resources, Ansible's tasks (with how many hosts each). */
  what: string[]
}

function recap(stdout: string): Changes {
  let changed = 0
  let failed = 0
  for (const match of stdout.matchAll(/changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)/g)) {
    changed += Number(match[1])
    failed += Number(match[2]) + Number(match[3])
  }
  const tasks = new Map<string, number>()
  let task = ''
  for (const line of stdout.split('\n')) {
    const heading = /^(?:TASK|RUNNING HANDLER) \[(.*)\]/.exec(line)
    if (heading) task = heading[1]!
    else if (line.startsWith('changed: ')) tasks.set(task, (tasks.get(task) ?? 0) + 1)
  }
  return {changed, failed, what: [...tasks].map(([name, hosts]) => `${name} (${hosts})`)}
}

interface ConvergeJson {
  hosts: Array<{host: string; resources: Array<{id: string; status: string}>}>
  summary: {changed: number; failed: number; unreachable: number}
}

function goldentoothChanges(report: ConvergeJson): Changes {
  const resources = new Map<string, number>()
  for (const host of report.hosts) {
    for (const resource of host.resources.filter((item) =>
      ['changed', 'failed', 'would-change'].includes(item.status),
    )) {
      const key = `${resource.id}: ${resource.status}`
      resources.set(key, (resources.get(key) ?? 0) + 1)
    }
  }
  return {
    changed: report.summary.changed,
    failed: report.summary.failed + report.summary.unreachable,
    what: [...resources].map(([name, hosts]) => `${name} (${hosts})`),
  }
}

/** Run the role once with each tool and say what it changed (a no-op must change nothing). */
export async function convergeOnce(
  setting: Setting,
  role: RoleName,
  tools: readonly string[],
): Promise<Record<string, Changes & {ms: number}>> {
  const [goldentooth, ansible] = convergeContenders(setting, role, tools)
  const ours = await timeOnce({...goldentooth!, okExitCodes: [0, 1]})
  const changes: Record<string, Changes & {ms: number}> = {
    [TOOL.goldentooth]: {...goldentoothChanges(JSON.parse(ours.stdout) as ConvergeJson), ms: ours.ms},
  }
  if (ansible) {
    const theirs = await timeOnce({...ansible, okExitCodes: [0, 2, 4]})
    changes[TOOL.ansible] = {...recap(theirs.stdout), ms: theirs.ms}
  }
  return changes
}

/**
 * The Ansible playbooks get goldentooth's own rendering of every file. slurm.conf holds each compute node's probed
 * hardware, which `render` (offline) takes from `assumed_facts`: read the same values from the nodes first and hand
 * them to render in an inventory of its own, so the files are byte for byte what `setup_slurm` writes.
 */
export async function renderForAnsible(setting: Setting): Promise<void> {
  const script = 'nproc; dpkg --print-architecture; grep ^MemTotal: /proc/meminfo; lscpu -J'
  const probed = await execa('bash', ['-c', `${gt(setting, 'command all --json --')} '${script}'`], {
    env: goldentoothEnv(setting),
  })
  const results = (JSON.parse(probed.stdout) as {results: Array<{host: string; stdout: string}>}).results
  const inventory = path.join(setting.cli.work, 'render-inventory')
  await rm(inventory, {force: true, recursive: true})
  await execa('cp', ['-r', setting.inventory, inventory])
  await mkdir(path.join(inventory, 'host_vars'), {recursive: true})
  for (const {host, stdout} of results) {
    const [cpus = '', architecture = '', memTotal = '', ...rest] = stdout.split('\n')
    const memKb = Number.parseInt(/(\d+)/.exec(memTotal)?.[1] ?? '', 10)
    const lscpu = JSON.parse(rest.join('\n')) as {lscpu: Array<{data: string; field: string}>}
    const field = (name: string) => {
      const value = Number.parseInt(lscpu.lscpu.find((entry) => entry.field.replace(/:$/, '') === name)?.data ?? '', 10)
      return Number.isFinite(value) ? value : undefined
    }
    const facts = {
      architecture,
      cores_per_socket: field('Core(s) per socket') ?? Number(cpus),
      cpus: Number(cpus),
      memory_mb: Math.floor(memKb / 1024),
      sockets: field('Socket(s)') ?? 1,
      threads_per_core: field('Thread(s) per core') ?? 1,
    }
    await writeFile(path.join(inventory, 'host_vars', `${host}.yaml`), stringify({assumed_facts: facts}))
  }
  await rm(setting.rendered, {force: true, recursive: true})
  for (const role of ROLES) {
    await execa('bash', ['-c', `${setting.cli.command} -i ${inventory} render ${role} --out ${setting.rendered}`], {
      env: goldentoothEnv(setting),
    })
  }
}

export async function adhoc(setting: Setting, options: RaceOptions): Promise<Timing[]> {
  return race(adhocContenders(setting), options)
}

export async function noop(
  setting: Setting,
  role: RoleName,
  tools: readonly string[],
  options: RaceOptions,
): Promise<Timing[]> {
  return race(convergeContenders(setting, role, tools), options)
}

export interface HealthResult {
  timing: Timing
  summary: {failed: number; passed: number; skipped: number}
  /** Failing checks of the last run: `suite check` → hosts. */
  failures: Record<string, string[]>
  /** What the failing checks of the last run observed: `suite check` → the distinct texts. */
  observed?: Record<string, string[]>
}

/** 3. `goldentooth test all`: exit 1 (a check failed) is a result to report, not a failure of the bench. */
export async function health(setting: Setting, options: RaceOptions): Promise<HealthResult> {
  const contender: Contender = {
    command: gt(setting, 'test all --json'),
    env: goldentoothEnv(setting),
    name: TOOL.goldentooth,
    okExitCodes: [0, 1],
  }
  const warmups = options.warmups ?? 1
  for (let i = 0; i < warmups; i++) await timeOnce(contender)
  const runs = []
  const started = performance.now()
  for (let i = 0; i < options.repetitions; i++) {
    const over = options.budgetMs !== undefined && performance.now() - started > options.budgetMs
    if (over && i >= (options.minRepetitions ?? 1)) break
    runs.push(await timeOnce(contender))
  }
  const report = JSON.parse(runs.at(-1)!.stdout) as {
    checks: Array<{host: string; name: string; observed: string; status: string; suite: string}>
    summary: {failed: number; passed: number; skipped: number}
  }
  const failures: Record<string, string[]> = {}
  const observed: Record<string, string[]> = {}
  for (const check of report.checks.filter((check) => check.status === 'fail')) {
    const key = `${check.suite} ${check.name}`
    ;(failures[key] ??= []).push(check.host)
    if (!(observed[key] ??= []).includes(check.observed)) observed[key].push(check.observed)
  }
  return {
    failures,
    observed,
    summary: {failed: report.summary.failed, passed: report.summary.passed, skipped: report.summary.skipped},
    timing: summarise(
      'goldentooth test all',
      runs.map((run) => run.ms),
      runs.map((run) => run.exitCode),
      warmups,
    ),
  }
}

/** 5. Peak resident set of the goldentooth process (GNU time's %M, KiB), `runs` times. */
export async function peakRss(setting: Setting, args: string, runs: number): Promise<number[]> {
  const out = path.join(setting.cli.work, 'rss.txt')
  const values = []
  for (let i = 0; i < runs; i++) {
    await timeOnce({
      command: `/usr/bin/time -f %M -o ${out} ${gt(setting, args)} >/dev/null`,
      env: goldentoothEnv(setting),
      name: `peak RSS of ${args}`,
    })
    values.push(Number.parseInt((await readFile(out, 'utf8')).trim().split('\n').at(-1)!, 10))
  }
  return values
}

export type Operation = 'connect' | 'download' | 'exec' | 'upload'

/** Remote operations per host of one run, counted from GOLDENTOOTH_TRACE. */
export interface RoundTrips {
  hosts: number
  /** Per operation: the fewest and most any host saw. */
  perHost: Record<Operation, {max: number; min: number}>
}

/** 6. Run `args` once with GOLDENTOOTH_TRACE and count the SSH operations each host saw. */
export async function roundTrips(setting: Setting, args: string): Promise<RoundTrips> {
  const file = path.join(setting.cli.work, `trace-${args.replaceAll(/\W+/g, '_')}.jsonl`)
  await rm(file, {force: true})
  await timeOnce({
    command: gt(setting, args),
    env: {...goldentoothEnv(setting), GOLDENTOOTH_TRACE: file},
    name: `traced ${args}`,
  })
  const lines = (await readFile(file, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as {host: string; op: Operation})
  const operations: Operation[] = ['connect', 'exec', 'upload', 'download']
  const perHost = Object.fromEntries(
    operations.map((op) => {
      const counts = setting.hosts.map((host) => lines.filter((line) => line.host === host && line.op === op).length)
      return [op, {max: Math.max(...counts), min: Math.min(...counts)}]
    }),
  ) as RoundTrips['perHost']
  return {hosts: setting.hosts.length, perHost}
}
