import {mkdtempSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import type {Serial} from '../../src/engine/role-run.js'
import type {Connect} from '../../src/fanout/session.js'
import type {Progress} from '../../src/engine/progress.js'
import type {EnginePaths} from '../../src/engine/remote/paths.js'
import type {Resource} from '../../src/engine/resources.js'
import type {ConvergeReport} from '../../src/engine/results.js'
import type {HostContext, Role} from '../../src/engine/role.js'

import {withHostFacts} from '../../src/engine/ansible-facts.js'
import {hostReporter} from '../../src/engine/host-reporter.js'
import {runPipeline} from '../../src/engine/pipeline.js'
import {probeSpecs} from '../../src/engine/probe-step.js'
import {SecretStore} from '../../src/engine/secrets.js'
import {Templates} from '../../src/engine/templates.js'
import {loadInventory} from '../../src/inventory/load.js'
import {localSession} from './local-connection.js'

/** A role whose plan is `plan`, on every host of the inventory. */
export function testRole(plan: (context: HostContext) => Resource[], more: Partial<Role> = {}): Role {
  return {description: 'a role of the engine tests', hosts: 'all', name: 'demo', plan, summary: 'demo', ...more}
}

export interface LocalRun {
  check?: boolean
  connect?: Connect
  diff?: boolean
  forks?: number
  /** Hosts of the inventory besides the targets (those the role reads facts or files of). */
  others?: readonly string[]
  /** An interrupt of the test's own: `signal` is the first, `force` the second. */
  interrupt?: {force: AbortSignal; signal: AbortSignal}
  paths: EnginePaths
  progress?: Progress
  serial?: Serial
}

/** Every host's progress as `host: text` lines, and `onDone` called as each host is reported. */
export function recordingProgress(onDone: (host: string) => void = () => {}): {lines: string[]; progress: Progress} {
  const lines: string[] = []
  return {
    lines,
    progress: {
      close: async () => {},
      done(host, text) {
        lines.push(`${host}: ${text}`)
        onDone(host)
      },
      update() {},
    },
  }
}

/**
 * Converge `role` on `targets` in-process, as convergeRole does over SSH: every host is this machine, reached through
 * a local sh, and the engine keeps its state under `paths`.
 */
export async function convergeLocally(role: Role, targets: string[], options: LocalRun): Promise<ConvergeReport> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gt-converge-'))
  const hosts = Object.fromEntries([...targets, ...(options.others ?? [])].map((host) => [host, {}]))
  writeFileSync(path.join(dir, 'hosts.yaml'), JSON.stringify({all: {hosts}}))
  const inventory = withHostFacts(await loadInventory(path.join(dir, 'hosts.yaml')))
  const run = {
    inventory,
    operator: {publicKeys: []},
    options: {},
    role,
    secrets: new SecretStore(path.join(dir, 'secrets'), false),
    targets,
    templates: Templates.forInventory(dir),
  }
  const settings = {
    artifactsDir: undefined,
    check: options.check ?? false,
    diff: options.diff ?? false,
    forks: options.forks ?? 5,
    paths: options.paths,
    serial: options.serial,
    stateDir: dir,
    timeoutMs: 60_000,
  }
  const interrupt = options.interrupt ?? {force: new AbortController().signal, signal: new AbortController().signal}
  const specs = probeSpecs(run)
  const session = localSession([...specs.keys()], {
    forks: settings.forks,
    signal: interrupt.signal,
    ...(options.connect ? {connect: options.connect} : {}),
  })
  const progress = options.progress ?? recordingProgress().progress
  try {
    return await runPipeline(session, run, specs, settings, interrupt, hostReporter(progress, settings.check))
  } finally {
    await session.close()
  }
}
