import {execFileSync} from 'node:child_process'
import {appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import type {Command} from '@oclif/core'
import pLimit from 'p-limit'
import {afterAll, beforeAll, describe, type ExpectStatic, it} from 'vitest'

import type {Fleet} from '../support/sshd.js'

import {COMMANDS} from '../../commands/index.js'
import {ROLES} from '../../src/roles/catalog.js'
import {type BadInventory, badInventories, writeBadInventories} from '../support/bad-inventories.js'
import {ROOT} from '../support/cli.js'
import {startSilentListener} from '../support/silent-listener.js'
import {startSshFleet} from '../support/sshd.js'
import {type Expected, expectCleanFailure, runSweep, type SweepRun} from '../support/sweep-run.js'

/**
 * Every command of the registry (the generated setup_<role> commands too) through its failure paths, run as the
 * built CLI: bad flags and arguments, bad inventories, hosts that refuse or never answer, Ctrl-C and SIGTERM, and a
 * state directory that is read-only or full. Whatever goes wrong, the operator gets a documented exit code and one
 * clear line, never a stack trace or "this is a bug". Hosts are on this machine only: 127.0.0.1 port 1, a listener that
 * never speaks SSH, and loopback OpenSSH servers. Lab commands are swept only where they fail before doing anything.
 */
const scratch = mkdtempSync(path.join(os.tmpdir(), 'gt-sweep-'))
const home = path.join(scratch, 'home')
const readOnly = path.join(scratch, 'read-only')
const full = path.join(scratch, 'full')
const script = path.join(scratch, 'script.sh')
const FIXTURE = path.join(ROOT, 'test/fixtures/inventory/sweep')

/** The sweep's inventory with every host on 127.0.0.1 at `port`. */
function inventoryOn(port: number): string {
  const dir = mkdtempSync(path.join(scratch, `inventory-${port}-`))
  cpSync(FIXTURE, dir, {recursive: true})
  appendFileSync(path.join(dir, 'group_vars/all.yaml'), `ansible_port: ${port}\n`)
  return dir
}

const badDir = path.join(scratch, 'bad')
const BAD_INVENTORIES = badInventories(badDir)
/** Every host refuses: nothing listens on port 1. */
let refusing: string
let fleet: Fleet

beforeAll(async () => {
  refusing = inventoryOn(1)
  writeBadInventories(badDir)
  mkdirSync(home)
  writeFileSync(script, '#!/bin/sh\ntrue\n')
  for (const dir of [full, readOnly]) mkdirSync(dir)
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', full])
  try {
    writeFileSync(path.join(full, 'filler'), Buffer.alloc(1024 * 1024))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
  }
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,ro', 'tmpfs', readOnly])
  fleet = await startSshFleet(2)
})

afterAll(async () => {
  await fleet?.stopAll()
  for (const dir of [full, readOnly]) if (existsSync(dir)) execFileSync('umount', [dir])
  rmSync(scratch, {force: true, recursive: true})
})

const REGISTRY = COMMANDS as Record<string, Command.Class>
const IDS = Object.keys(REGISTRY)
const ROLE_COMMANDS = new Set(ROLES.map((role) => role.command))

const isLab = (id: string) => id.startsWith('lab:')
const flagsOf = (id: string) => REGISTRY[id]!.flags ?? {}
const connects = (id: string) => 'connect-timeout' in flagsOf(id)
const hasJson = (id: string) => REGISTRY[id]!.enableJsonFlag
const hasInventory = (id: string) => 'inventory' in flagsOf(id)

/** How to run a command so that it gets as far as its inventory and hosts. */
interface Invocation {
  args: string[]
  flags?: (dir: string) => string[]
  /** After `--`, where the case's own flags must not go. */
  after?: string[]
  input?: string
  /** Files to put in the run's state directory first. */
  state?: Record<string, string>
}

const VAULT_KEYS = JSON.stringify({
  host: 'n1',
  initializedAt: '2025-01-01T00:00:00.000Z',
  keyType: 'unseal',
  keys: ['a2V5'],
  rootToken: 'token',
  threshold: 1,
})

const INVOCATIONS: Record<string, Invocation> = {
  autocomplete: {args: ['bash']},
  batch: {args: [script, 'all']},
  command: {after: ['--', 'true'], args: ['all']},
  command_all: {after: ['--', 'true'], args: []},
  command_root: {after: ['--', 'true'], args: ['all']},
  cp: {args: [script, 'all:/tmp/']},
  heredoc: {args: ['all'], input: 'true\n'},
  'inventory:eval': {args: ['all', '{{ inventory_hostname }}']},
  'inventory:graph': {args: []},
  'inventory:hosts': {args: ['all']},
  'inventory:show': {args: []},
  list_groups: {args: []},
  ping: {args: ['all']},
  pipe: {args: ['all'], input: 'true\n'},
  render: {args: [], flags: (dir) => ['--out', path.join(dir, 'out')]},
  rotate_certs: {args: ['vault']},
  shell: {args: ['all'], input: 'true\n'},
  'ssh:trust': {args: [], flags: (dir) => ['--known-hosts', path.join(dir, 'known_hosts')]},
  test: {args: ['system']},
  'test:all': {args: []},
  'test:list': {args: []},
  uptime: {args: ['all']},
  validate: {args: []},
  'vault:decrypt': {args: ['secret.yml']},
  'vault:edit': {args: ['secret.yml']},
  'vault:encrypt': {args: ['secret.yml']},
  'vault:encrypt_string': {args: [], input: 'value'},
  'vault:init': {args: []},
  'vault:rekey': {args: ['secret.yml'], flags: (dir) => ['--new-vault-password-file', path.join(dir, 'new-password')]},
  'vault:unseal': {args: [], state: {'secrets/vault-init.json': VAULT_KEYS}},
  'vault:view': {args: ['secret.yml']},
  zap_cluster_ca: {args: [], flags: () => ['--confirm', 'n3']},
  'lab:status': {args: []},
}

function invocation(id: string): Invocation {
  if (ROLE_COMMANDS.has(id)) return {args: []}
  const known = INVOCATIONS[id]
  if (!known) throw new Error(`the failure sweep does not know how to run '${id}': add it to INVOCATIONS`)
  return known
}

/** Commands that run something on hosts: interrupted while it still runs there. */
const ADHOC = new Set(['batch', 'command', 'command_all', 'command_root', 'heredoc', 'pipe', 'shell'])

/** Remote work that is still running when the interrupt comes: touch MARKER, then sleep. */
function slowInvocation(id: string, marker: string): Invocation {
  const slow = `touch ${marker}; sleep 30`
  if (id === 'batch') {
    writeFileSync(`${marker}.sh`, `#!/bin/sh\n${slow}\n`)
    return {args: [`${marker}.sh`, 'all']}
  }
  if (id === 'command' || id === 'command_root') return {after: ['--', slow], args: ['all']}
  if (id === 'command_all') return {after: ['--', slow], args: []}
  return {args: ['all'], input: `${slow}\n`}
}

interface Case {
  name: string
  id: string
  /** The invocation's own arguments are left out (usage cases of lab commands: nothing may start). */
  bare?: boolean
  flags: string[]
  expected: Expected
  env?: Record<string, string>
  /** Make the run's invocation, inventory and interrupt; resources it opens are closed after the run. */
  prepare?: (dir: string) => Promise<Partial<SweepRun> & {invocation?: Invocation; close?: () => Promise<void>}>
}

const limit = pLimit(4)

async function sweep(expect: ExpectStatic, c: Case): Promise<void> {
  const dir = mkdtempSync(path.join(scratch, 'run-'))
  const prepared = (await c.prepare?.(dir)) ?? {}
  const run = prepared.invocation ?? (c.bare ? {args: []} : invocation(c.id))
  const stateDir = path.join(dir, 'state')
  for (const [file, content] of Object.entries(run.state ?? {})) {
    mkdirSync(path.dirname(path.join(stateDir, file)), {recursive: true})
    writeFileSync(path.join(stateDir, file), content)
  }
  const argv = [...c.id.split(':'), ...run.args, ...(run.flags?.(dir) ?? []), ...c.flags, ...(run.after ?? [])]
  try {
    const result = await limit(() =>
      runSweep({
        argv,
        cwd: dir,
        env: {
          GOLDENTOOTH_INVENTORY: refusing,
          GOLDENTOOTH_SSH_CONFIG: '/dev/null',
          GOLDENTOOTH_STATE_DIR: stateDir,
          HOME: home,
          ...c.env,
          ...prepared.env,
        },
        input: prepared.input ?? run.input,
        ...(prepared.interrupt ? {interrupt: prepared.interrupt} : {}),
      }),
    )
    expectCleanFailure(expect, result, c.expected)
  } finally {
    await prepared.close?.()
  }
}

function cases(name: string, list: Case[]): void {
  describe.concurrent(name, () => {
    for (const c of list)
      it.concurrent(`${c.id.replaceAll(':', ' ')}: ${c.name}`, ({expect}) => sweep(expect, c), 120_000)
  })
}

const usage = (mentions: string | RegExp, json = false): Expected => ({error: true, exit: 2, json, mentions})
const withJson = (json: boolean) => (json ? {flags: ['--json'], name: ' (--json)'} : {flags: [], name: ''})

/** A bad value for every flag that takes one and can be wrong. */
const BAD_VALUES: Record<string, string> = {
  'connect-timeout': '0',
  forks: 'abc',
  'key-shares': '0',
  'key-threshold': 'three',
  'max-output': 'lots',
  name: 'a-b',
  nodes: 'abc',
  'retry-timeout': '-1',
  serial: 'abc',
  'stdin-name': 'a-b',
  timeout: '-1',
  'vault-id': 'a;b',
}

/**
 * Flag values are checked by the flag's definition, which commands share: each definition gets its bad value once, on
 * a command of its own where there is one.
 */
function badValueCases(): Case[] {
  const chosen = new Map<unknown, [string, string]>()
  for (const pass of ['one per command', 'the rest'])
    for (const id of IDS) {
      const fresh = Object.entries(flagsOf(id)).filter(([name, flag]) => name in BAD_VALUES && !chosen.has(flag))
      for (const [name, flag] of pass === 'the rest' ? fresh : fresh.slice(0, 1)) chosen.set(flag, [id, name])
    }
  return [...chosen.values()].map(([id, name]) => ({
    bare: isLab(id),
    expected: usage(`--${name}`, hasJson(id)),
    flags: [`--${name}`, BAD_VALUES[name]!, ...(hasJson(id) ? ['--json'] : [])],
    id,
    name: `--${name} ${BAD_VALUES[name]}`,
  }))
}

cases('usage errors (exit 2)', [
  ...IDS.map((id) => ({bare: isLab(id), expected: usage('--bogus'), flags: ['--bogus'], id, name: 'an unknown flag'})),
  ...badValueCases(),
  ...IDS.flatMap((id): Case[] => {
    const missing = Object.entries(REGISTRY[id]!.args ?? {}).find(([, arg]) => arg.required)
    const expected = usage(new RegExp(`missing arguments?: ${missing?.[0]}`, 'i'))
    return missing ? [{bare: true, expected, flags: [], id, name: 'a missing argument'}] : []
  }),
  ...IDS.flatMap((id): Case[] =>
    Object.entries(flagsOf(id))
      .filter(([, flag]) => flag.required)
      .map(([name]) => ({
        expected: usage(`--${name}`),
        flags: [],
        id,
        name: `without --${name}`,
        prepare: async () => ({invocation: {...invocation(id), flags: () => []}}),
      })),
  ),
  {bare: true, expected: usage("'nosuchcommand'"), flags: [], id: 'nosuchcommand', name: 'an unknown command'},
  {bare: true, expected: usage("'nosuchcommand'"), flags: ['nosuchcommand'], id: 'help', name: 'an unknown command'},
  {
    // Exit 1 when the lab is down, 2 when it runs without that node: either way nothing is started or touched.
    expected: {error: true, exit: [1, 2], json: false, mentions: /nosuchnode|not running/},
    flags: [],
    id: 'lab:ssh',
    name: 'a node the lab lacks',
    prepare: async () => ({invocation: {args: ['nosuchnode']}}),
  },
])

/** Inventories are read by one loader: every bad one on a few commands, and one bad one on every command. */
const REPRESENTATIVES = ['inventory:hosts', 'configure_cluster']
const inventoryCase = (id: string, inventory: BadInventory, json: boolean): Case => ({
  ...(inventory.env ? {env: inventory.env} : {}),
  expected: {error: true, exit: 3, json, mentions: inventory.path},
  flags: ['-i', inventory.path, ...withJson(json).flags],
  id,
  name: `${inventory.name}${withJson(json).name}`,
})

cases('invalid inventories (exit 3)', [
  ...REPRESENTATIVES.flatMap((id) => BAD_INVENTORIES.map((inventory) => inventoryCase(id, inventory, false))),
  // lab up boots the lab once its inventory loads: it is not run at all.
  ...IDS.filter((id) => hasInventory(id) && !REPRESENTATIVES.includes(id) && id !== 'lab:up').map((id, i) =>
    inventoryCase(id, BAD_INVENTORIES[i % BAD_INVENTORIES.length]!, hasJson(id)),
  ),
])

/** Commands that connect to hosts; each is swept once per case below, in human and --json output alternately. */
const CONNECTING = IDS.filter((id) => connects(id) && !isLab(id))
const jsonFor = (id: string, i: number) => hasJson(id) && i % 2 === 1

/** Where connecting fails the same way for every command, a command of each kind of session stands for the rest. */
const SILENT = [
  'command',
  'cp',
  'shell',
  'test',
  'rotate_certs',
  'ssh:trust',
  'zap_cluster_ca',
  'vault:init',
  'vault:unseal',
]

cases('unreachable hosts (exit 1)', [
  ...CONNECTING.map((id, i): Case => {
    const json = withJson(jsonFor(id, i))
    return {
      expected: {error: false, exit: 1, json: jsonFor(id, i), mentions: /connection refused by 127\.0\.0\.1:1/},
      flags: json.flags,
      id,
      name: `connection refused${json.name}`,
    }
  }),
  ...CONNECTING.filter((id) => SILENT.includes(id) || id === ROLES[0]!.command).map((id): Case => ({
    expected: {error: false, exit: 1, json: false, mentions: /timed out after 1 s waiting for the SSH handshake/},
    flags: ['--connect-timeout', '1'],
    id,
    name: 'a host that accepts TCP and never speaks SSH',
    prepare: async () => {
      const silent = await startSilentListener()
      return {close: () => silent.close(), env: {GOLDENTOOTH_INVENTORY: inventoryOn(silent.port)}}
    },
  })),
])

const SIGNALS = [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const

/** Ad-hoc commands are stopped while `sleep 30` runs on loopback sshd; the others while they wait for a banner. */
function interruptCase(id: string, [signal, exit]: (typeof SIGNALS)[number], json: boolean): Case {
  return {
    expected: {error: false, exit, json, ...(json ? {} : {mentions: /interrupt/})},
    flags: withJson(json).flags,
    id,
    name: `${signal}${withJson(json).name}`,
    prepare: async (dir) => {
      if (ADHOC.has(id)) {
        const marker = path.join(dir, 'started')
        const started = (async () => {
          while (!existsSync(marker)) await sleep(50)
        })()
        return {
          env: {GOLDENTOOTH_INVENTORY: fleet.inventoryPath, GOLDENTOOTH_SSH_CONFIG: fleet.sshConfigPath},
          interrupt: {signal, when: started},
          invocation: slowInvocation(id, marker),
        }
      }
      const silent = await startSilentListener()
      return {
        close: () => silent.close(),
        env: {GOLDENTOOTH_INVENTORY: inventoryOn(silent.port)},
        interrupt: {signal, when: silent.connected},
      }
    },
  }
}

/**
 * Role commands share one engine: each is interrupted or given a broken state directory, alternately (the first role
 * both); every other connecting command gets both.
 */
const ROLE_INDEX = new Map(ROLES.map((role, i) => [role.command, i]))
const sweptFor = (id: string, category: 0 | 1) =>
  (ROLE_INDEX.get(id) ?? category) % 2 === category || id === ROLES[0]!.command

cases(
  'interrupted runs (exit 130, 143)',
  CONNECTING.flatMap((id, i) =>
    !sweptFor(id, 0)
      ? []
      : (ADHOC.has(id) ? SIGNALS : [SIGNALS[i % 2]!]).map((signal) => interruptCase(id, signal, jsonFor(id, i + 1))),
  ),
)

/** Connecting commands write retry files, locks and secrets there; render (validate renders the same way) reads it. */
cases('a state directory that cannot be written', [
  ...CONNECTING.flatMap((id, i): Case[] => {
    if (!sweptFor(id, 1)) return []
    const [dir, what] = i % 2 === 0 ? ([readOnly, 'read-only'] as const) : ([full, 'full'] as const)
    const json = withJson(jsonFor(id, i + 1))
    return [
      {
        env: {GOLDENTOOTH_STATE_DIR: path.join(dir, `state-${i}`)},
        expected: {error: false, exit: 1, json: jsonFor(id, i + 1)},
        flags: json.flags,
        id,
        name: `${what} state directory${json.name}`,
      },
    ]
  }),
  {
    env: {GOLDENTOOTH_STATE_DIR: path.join(readOnly, 'render')},
    expected: {error: false, exit: 0, json: false},
    flags: [],
    id: 'render',
    name: 'read-only state directory',
  },
])
