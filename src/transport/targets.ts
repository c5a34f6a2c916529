import {execFile} from 'node:child_process'
import {access} from 'node:fs/promises'
import {homedir, hostname, userInfo} from 'node:os'

import pLimit, {type LimitFunction} from 'p-limit'

import {InvalidInputError, RunError} from '../core/errors.js'
import type {Inventory} from '../inventory/model.js'
import {ConnectError} from './errors.js'
import {ShellSplitError, shq, shSplit} from './quote.js'
import type {SshTarget} from './types.js'

export interface ResolveOptions {
  /** `ssh -F FILE`: the operator's --ssh-config / GOLDENTOOTH_SSH_CONFIG; OpenSSH's defaults when absent. */
  sshConfigFile?: string
  /** How many `ssh -G` run at once. */
  concurrency?: number
}

/** Jump chains longer than this are taken to be a loop in the ssh_config. */
const MAX_JUMP_DEPTH = 8

/**
 * Turn inventory hosts into SSH targets by asking OpenSSH (`ssh -G`) what it would do, so that the operator's
 * ssh_config applies. Inventory variables are passed on the command line before ssh_common_args, as Ansible passes
 * them, so they win over ssh_config. A host that ssh rejects maps to a ConnectError; invalid inventory values throw
 * InvalidInputError.
 */
export async function resolveTargets(
  inventory: Inventory,
  hosts: readonly string[],
  options: ResolveOptions,
): Promise<Map<string, SshTarget | ConnectError>> {
  const limit = pLimit(options.concurrency ?? 16)
  const resolver = new Resolver(options.sshConfigFile, limit)
  const settled = await Promise.all(hosts.map((host) => resolver.inventoryHost(inventory, host)))
  return new Map(hosts.map((host, i) => [host, settled[i] as SshTarget | ConnectError]))
}

interface SshQuery {
  /** What `ssh` is asked to connect to (ansible_host or the inventory name); OpenSSH's %n. */
  destination: string
  port?: number
  user?: string
  identityFile?: string
  extraArgs: string[]
}

/** What the inventory says about reaching a host, validated. */
interface HostSettings {
  query: SshQuery
  become: boolean
  lab: boolean
  socket?: string
}

function hostSettings(inventory: Inventory, host: string): HostSettings {
  const vars = inventory.hostVars(host)
  const invalid = (name: string, message: string) =>
    new InvalidInputError(`${host}: ${name} ${message}`, inventory.varLocation(host, name))
  const text = (name: string): string | undefined => {
    const value = vars[name]
    if (value === undefined || value === null) return undefined
    if (typeof value === 'string') return value
    if (typeof value === 'number') return String(value)
    throw invalid(name, `must be a string, not ${JSON.stringify(value)}`)
  }
  const flag = (name: string): boolean => {
    const value = vars[name]
    if (value === undefined || value === null) return false
    const parsed = parseBoolean(value)
    if (parsed === undefined) throw invalid(name, `must be true or false, not ${JSON.stringify(value)}`)
    return parsed
  }
  const args = (name: string): string[] => {
    const value = text(name)
    if (value === undefined) return []
    try {
      return shSplit(value)
    } catch (err) {
      if (err instanceof ShellSplitError) throw invalid(name, `cannot be split into arguments: ${err.message}`)
      throw err
    }
  }

  const portName = vars.ansible_port === undefined ? 'ansible_ssh_port' : 'ansible_port'
  const portText = text(portName)
  const port = portText === undefined ? undefined : Number(portText)
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535))
    throw invalid(portName, 'must be a port number (1-65535)')
  const become = flag('ansible_become')
  const method = text('ansible_become_method') ?? 'sudo'
  if (become && method !== 'sudo')
    throw invalid('ansible_become_method', `${method} is not supported: goldentooth becomes root with sudo only`)
  const socket = text('goldentooth_ssh_socket')
  return {
    query: {
      destination: text('ansible_host') ?? text('ansible_ssh_host') ?? host,
      ...(port === undefined ? {} : {port}),
      ...optional('user', text('ansible_user') ?? text('ansible_ssh_user')),
      ...optional('identityFile', text('ansible_ssh_private_key_file') ?? text('ansible_private_key_file')),
      extraArgs: [...args('ansible_ssh_common_args'), ...args('ansible_ssh_extra_args')],
    },
    become,
    lab: flag('goldentooth_lab'),
    ...(socket === undefined ? {} : {socket}),
  }
}

/**
 * Arguments for the system `ssh` that reach an inventory host as goldentooth would (for interactive sessions): the
 * inventory's port, user, key and ssh args, and the host's UNIX socket through `socat` when it has one.
 */
export async function sshCommandArgs(inventory: Inventory, host: string, options: ResolveOptions): Promise<string[]> {
  const settings = hostSettings(inventory, host)
  const args = sshArgs(settings.query, options.sshConfigFile)
  if (settings.socket === undefined) return args
  const target = await new Resolver(options.sshConfigFile, pLimit(1)).inventoryHost(inventory, host)
  if (target instanceof ConnectError) throw target
  const socket = target.socket as string
  const proxy = `socat - UNIX-CONNECT:${shq(socket).replaceAll('%', '%%')}`
  return [...args.slice(0, -2), '-o', `ProxyCommand=${proxy}`, ...args.slice(-2)]
}

function sshArgs(query: SshQuery, configFile: string | undefined): string[] {
  return [
    ...(configFile ? ['-F', configFile] : []),
    ...(query.port === undefined ? [] : ['-p', String(query.port)]),
    ...(query.user === undefined ? [] : ['-l', query.user]),
    ...(query.identityFile === undefined ? [] : ['-i', expandPath(query.identityFile, {})]),
    ...query.extraArgs,
    '--',
    query.destination,
  ]
}

class Resolver {
  private readonly configFile: string | undefined
  private readonly limit: LimitFunction

  constructor(configFile: string | undefined, limit: LimitFunction) {
    this.configFile = configFile
    this.limit = limit
  }

  async inventoryHost(inventory: Inventory, host: string): Promise<SshTarget | ConnectError> {
    const settings = hostSettings(inventory, host)
    const target = await this.resolve(host, settings.query, 0)
    if (target instanceof ConnectError) return target
    return {
      ...target,
      ...(settings.socket === undefined ? {} : {socket: expandTokens(settings.socket, {h: target.address, n: host})}),
      lab: settings.lab,
      become: settings.become && target.user !== 'root',
    }
  }

  private async resolve(host: string, query: SshQuery, depth: number): Promise<SshTarget | ConnectError> {
    const config = await this.sshG(host, query)
    if (config instanceof ConnectError) return config
    const first = (key: string) => config.get(key)?.[0]
    const address = first('hostname') ?? query.destination
    const port = Number(first('port') ?? 22)
    const user = first('user') ?? userInfo().username
    const alias = first('hostkeyalias')
    const tokens: Tokens = {h: address, p: String(port), r: user, n: query.destination, ...(alias ? {k: alias} : {})}
    const files = (key: string) =>
      (config.get(key) ?? []).flatMap((line) => line.split(/\s+/)).filter((file) => file && file !== 'none')
    const identityFiles = await existing((config.get('identityfile') ?? []).map((file) => expandPath(file, tokens)))
    const timeout = first('connecttimeout')
    const proxyCommand = first('proxycommand')
    const proxyJump = first('proxyjump')

    const target: SshTarget = {
      host,
      address,
      port,
      user,
      identityFiles,
      knownHostsName: (alias ?? (port === 22 ? address : `[${address}]:${port}`)).toLowerCase(),
      knownHostsFiles: [...files('userknownhostsfile'), ...files('globalknownhostsfile')].map((file) =>
        expandPath(file, tokens),
      ),
      ...(timeout && timeout !== 'none' ? {connectTimeoutMs: Number(timeout) * 1000} : {}),
      ...(proxyCommand && proxyCommand !== 'none' ? {proxyCommand: expandTokens(proxyCommand, tokens)} : {}),
      lab: false,
      become: false,
    }
    if (!proxyJump || proxyJump === 'none') return target
    if (depth >= MAX_JUMP_DEPTH)
      return new ConnectError('config', `ProxyJump chain for ${host} is longer than ${MAX_JUMP_DEPTH} hops (a loop?)`)
    const hops = proxyJump.split(',')
    const last = parseJumpHop(hops.pop() as string)
    const extraArgs = hops.length > 0 ? ['-J', hops.join(',')] : []
    const jump = await this.resolve(last.host, {destination: last.host, ...last.options, extraArgs}, depth + 1)
    if (jump instanceof ConnectError) return jump
    return {...target, jump}
  }

  private async sshG(host: string, query: SshQuery): Promise<Map<string, string[]> | ConnectError> {
    const result = await this.limit(() => run('ssh', ['-G', ...sshArgs(query, this.configFile)]))
    if (result.error?.code === 'ENOENT')
      throw new RunError('the OpenSSH client (ssh) is not installed', 'apt-get install openssh-client')
    if (result.error) {
      const reason = result.stderr.split('\n').find((line) => line.trim() && !line.startsWith('Pseudo-terminal'))
      return new ConnectError(
        'config',
        `ssh -G ${query.destination} failed: ${reason?.trim() ?? result.error.message}`,
        `check ${this.configFile ?? '~/.ssh/config'} and the ssh args in the inventory for ${host}`,
      )
    }
    const config = new Map<string, string[]>()
    for (const line of result.stdout.split('\n')) {
      const space = line.indexOf(' ')
      if (space <= 0) continue
      const key = line.slice(0, space).toLowerCase()
      config.set(key, [...(config.get(key) ?? []), line.slice(space + 1)])
    }
    return config
  }
}

interface RunResult {
  stdout: string
  stderr: string
  error?: Error & {code?: string | number | null}
}

function run(file: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(file, args, {maxBuffer: 1 << 20}, (error, stdout, stderr) =>
      resolve({stdout, stderr, ...(error ? {error} : {})}),
    )
    child.stdin?.end()
  })
}

/** `[user@]host[:port]` or `ssh://[user@]host[:port]`, as ProxyJump accepts. */
function parseJumpHop(spec: string): {host: string; options: {user?: string; port?: number}} {
  const match = /^(?:ssh:\/\/)?(?:([^@]*)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(spec.trim())
  if (!match) return {host: spec.trim(), options: {}}
  const [, user, host, port] = match
  return {
    host: (host as string).replace(/^\[(.*)\]$/, '$1'),
    options: {...optional('user', user), ...(port === undefined ? {} : {port: Number(port)})},
  }
}

type Tokens = Partial<Record<'h' | 'p' | 'r' | 'n' | 'k', string>>

/** Expand OpenSSH `%` tokens (ssh_config(5) TOKENS); unknown tokens are left as written. */
export function expandTokens(value: string, tokens: Tokens): string {
  return value.replace(/%(.)/g, (whole, token: string) => {
    switch (token) {
      case '%':
        return '%'
      case 'd':
        return homedir()
      case 'u':
        return userInfo().username
      case 'l':
        return hostname()
      case 'k':
        return tokens.k ?? tokens.n ?? whole
      default:
        return tokens[token as keyof Tokens] ?? whole
    }
  })
}

function expandPath(path: string, tokens: Tokens): string {
  const expanded = expandTokens(path, tokens)
  return expanded === '~' || expanded.startsWith('~/') ? homedir() + expanded.slice(1) : expanded
}

async function existing(paths: string[]): Promise<string[]> {
  const found = await Promise.all(
    paths.map((path) =>
      access(path).then(
        () => true,
        () => false,
      ),
    ),
  )
  return [...new Set(paths.filter((_, i) => found[i]))]
}

function parseBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (typeof value === 'number' && (value === 0 || value === 1)) return value === 1
  if (typeof value !== 'string') return undefined
  const lower = value.toLowerCase()
  if (['true', 'yes', 'on', '1', 'y', 't'].includes(lower)) return true
  if (['false', 'no', 'off', '0', 'n', 'f'].includes(lower)) return false
  return undefined
}

function optional<K extends string>(key: K, value: string | undefined): {[P in K]?: string} {
  return (value === undefined ? {} : {[key]: value}) as {[P in K]?: string}
}
