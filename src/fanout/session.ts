import pLimit from 'p-limit'

import type {Inventory} from '../inventory/model.js'
import type {Connection, SshTarget} from '../transport/types.js'

import {ConnectError} from '../transport/errors.js'
import {connect} from '../transport/ssh.js'
import {resolveTargets} from '../transport/targets.js'

export interface SessionOptions {
  connectTimeoutMs: number
  forks: number
  insecureAcceptHostKeys: boolean
  signal: AbortSignal
  sshConfigFile?: string | undefined
}

/** How to reach the hosts: one host at a time, with host keys verified, unless it says otherwise. */
export interface SessionSettings {
  /** Seconds to wait for a host to accept the connection. */
  connectTimeout: number
  forks?: number
  insecureAcceptHostKeys?: boolean
  /** An OpenSSH client config to read instead of ~/.ssh/config. */
  sshConfig?: string | undefined
}

export function sessionOptions(settings: SessionSettings, signal: AbortSignal): SessionOptions {
  return {
    connectTimeoutMs: settings.connectTimeout * 1000,
    forks: settings.forks ?? 1,
    insecureAcceptHostKeys: settings.insecureAcceptHostKeys ?? false,
    signal,
    sshConfigFile: settings.sshConfig,
  }
}

export type Outcome<T> =
  | {durationMs: number; host: string; status: 'done'; value: T}
  | {durationMs: number; error: ConnectError; host: string; status: 'unreachable'}
  | {durationMs: number; error: Error; host: string; status: 'failed'}
  | {durationMs: number; host: string; status: 'interrupted'}

function asConnectError(error: unknown): ConnectError {
  return error instanceof ConnectError
    ? error
    : new ConnectError('other', error instanceof Error ? error.message : String(error))
}

/** Opens one host's connection; `signal` abandons an attempt in progress (a fresh connection has none). */
export type Connect = (host: string, signal?: AbortSignal) => Promise<Connection>

function sshConnect(targets: Map<string, ConnectError | SshTarget>, options: SessionOptions): Connect {
  return (host, signal) => {
    const target = targets.get(host)
    if (target === undefined || target instanceof ConnectError)
      return Promise.reject(target ?? new ConnectError('other', `${host} is not part of this run`))
    return connect(target, {
      connectTimeoutMs: options.connectTimeoutMs,
      insecureAcceptHostKeys: options.insecureAcceptHostKeys,
      ...(signal ? {signal} : {}),
    })
  }
}

/**
 * The hosts of one run: one connection per host, opened on first use and reused for everything in the run.
 * A host that could not be reached stays unreachable for the rest of the run.
 */
export class Session {
  private readonly connections = new Map<string, Promise<Connection>>()
  private readonly connect: Connect
  private readonly limit: ReturnType<typeof pLimit>
  readonly hosts: readonly string[]
  readonly signal: AbortSignal

  /** A session over the connections `connect` opens; `Session.open` is the one over SSH. */
  constructor(hosts: readonly string[], connect: Connect, options: {forks: number; signal: AbortSignal}) {
    this.hosts = hosts
    this.connect = connect
    this.signal = options.signal
    this.limit = pLimit(options.forks)
  }

  static async open(inventory: Inventory, hosts: readonly string[], options: SessionOptions): Promise<Session> {
    const targets = await resolveTargets(
      inventory,
      [...hosts],
      options.sshConfigFile ? {sshConfigFile: options.sshConfigFile} : {},
    )
    return new Session(hosts, sshConnect(targets, options), options)
  }

  connection(host: string): Promise<Connection> {
    const existing = this.connections.get(host)
    if (existing) return existing
    const pending = this.connect(host, this.signal)
    pending.catch(() => {})
    this.connections.set(host, pending)
    return pending
  }

  /** A new connection to the host, not shared with the run (a caller closes it): to prove a login still works. */
  freshConnection(host: string): Promise<Connection> {
    return this.connect(host)
  }

  /** Run `work` on every host of the session, at most --forks at once; outcomes come back in host order. */
  async forEach<T>(
    work: (connection: Connection, host: string) => Promise<T>,
    hosts = this.hosts,
  ): Promise<Outcome<T>[]> {
    return Promise.all(
      hosts.map((host) =>
        this.limit(async (): Promise<Outcome<T>> => {
          const started = performance.now()
          const elapsed = () => Math.round(performance.now() - started)
          if (this.signal.aborted) return {durationMs: 0, host, status: 'interrupted'}
          let connection: Connection
          try {
            connection = await this.connection(host)
          } catch (error) {
            if (this.signal.aborted) return {durationMs: elapsed(), host, status: 'interrupted'}
            return {durationMs: elapsed(), error: asConnectError(error), host, status: 'unreachable'}
          }
          try {
            return {durationMs: elapsed(), host, status: 'done', value: await work(connection, host)}
          } catch (error) {
            if (error instanceof ConnectError) return {durationMs: elapsed(), error, host, status: 'unreachable'}
            return {
              durationMs: elapsed(),
              error: error instanceof Error ? error : new Error(String(error)),
              host,
              status: 'failed',
            }
          }
        }),
      ),
    )
  }

  async close(): Promise<void> {
    const open = await Promise.allSettled(this.connections.values())
    await Promise.all(open.map((result) => (result.status === 'fulfilled' ? result.value.close() : undefined)))
  }
}
