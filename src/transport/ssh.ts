import {NodeSSH} from 'node-ssh'
import pLimit from 'p-limit'
import type {Client, ClientChannel, SFTPWrapper} from 'ssh2'

import {authPlan} from './auth.js'
import {ConnectError} from './errors.js'
import {startExec, stopScript} from './exec.js'
import {HostKeyCheck, verifyHostCertificate} from './host-verify.js'
import {loadKnownHosts} from './known-hosts.js'
import {type Link, openProxyCommandLink, openSocketLink, seconds} from './link.js'
import {atomicUpload, download, type UploadContent} from './sftp.js'
import {trace} from './trace.js'
import type {Connection, ExecOptions, ExecResult, SshTarget, TransferOptions} from './types.js'

export interface ConnectOptions {
  /** TCP connect and SSH handshake limit each; ssh_config's ConnectTimeout wins when the target has one. */
  connectTimeoutMs: number
  /** Skip host key verification (and nothing else). */
  insecureAcceptHostKeys: boolean
  /** SSH keepalive interval; the connection drops after 3 unanswered. Default 15 s. */
  keepaliveMs?: number
  /** Where one-line warnings go (an encrypted key skipped); stderr by default, each message once per process. */
  onWarning?: (message: string) => void
  /** Abandon the attempt when this aborts (the run was interrupted): the link is closed at once. */
  signal?: AbortSignal
}

/** sshd's default MaxSessions: sessions (exec and SFTP channels) one connection may have open. */
const MAX_SESSIONS = 10
const MAX_CHANNELS = 8
const KEEPALIVE_MS = 15_000
const STOP_TIMEOUT_MS = 10_000

/**
 * Open a verified SSH connection to the target: through its UNIX socket, its ProxyCommand, its ProxyJump host or
 * directly; host key checked against known_hosts (and a host certificate against @cert-authority) before anything
 * runs; authenticated with the agent, then each identity file. Throws ConnectError saying why it could not.
 */
export async function connect(target: SshTarget, options: ConnectOptions): Promise<Connection> {
  return openConnection(target, options)
}

async function openConnection(target: SshTarget, options: ConnectOptions): Promise<SshConnection> {
  const timeoutMs = target.connectTimeoutMs ?? options.connectTimeoutMs
  const entries = options.insecureAcceptHostKeys ? [] : await loadKnownHosts(target.knownHostsFiles)
  const check = new HostKeyCheck(target, entries)
  const auth = await authPlan(target, options.onWarning ?? warnOnce)
  const link = await openLink(target, options, timeoutMs)
  trace(target.host, 'connect')
  const ssh = new NodeSSH()
  const abandon = () => link.close()
  options.signal?.addEventListener('abort', abandon, {once: true})
  try {
    if (options.signal?.aborted) throw new ConnectError('other', 'interrupted')
    await ssh.connect({
      username: target.user,
      sock: link.stream,
      authHandler: auth.methods,
      readyTimeout: timeoutMs,
      keepaliveInterval: options.keepaliveMs ?? KEEPALIVE_MS,
      keepaliveCountMax: 3,
      ...(options.insecureAcceptHostKeys
        ? {}
        : {hostVerifier: check.verify, algorithms: {serverHostKey: check.algorithms()}}),
    })
  } catch (err) {
    const error = options.signal?.aborted
      ? new ConnectError('other', 'interrupted')
      : await handshakeError(err, {target, link, check, tried: auth.tried, timeoutMs})
    link.close()
    ssh.dispose()
    throw error
  } finally {
    options.signal?.removeEventListener('abort', abandon)
  }
  const connection = new SshConnection(target, ssh, link)
  if (check.verdict?.status === 'certificate-required' && check.presented) {
    const problem = await verifyHostCertificate(
      (command) => connection.exec(command, {timeoutMs}),
      target,
      entries,
      check.verdict.authorities,
      check.presented,
    ).catch((err: unknown) => err)
    if (problem !== undefined) {
      await connection.close()
      throw problem
    }
  }
  return connection
}

async function openLink(target: SshTarget, options: ConnectOptions, timeoutMs: number): Promise<Link> {
  if (target.socket !== undefined) return openSocketLink(target, timeoutMs)
  if (target.proxyCommand !== undefined) return openProxyCommandLink(target, target.proxyCommand)
  if (target.jump === undefined) return openSocketLink(target, timeoutMs)
  const jump = await openConnection(target.jump, options).catch((err: unknown) => {
    if (err instanceof ConnectError)
      throw new ConnectError(err.kind, `jump host ${target.jump?.host}: ${err.message}`, err.hint)
    throw err
  })
  const where = `${target.address}:${target.port} via ${jump.target.host}`
  const channel = await jump.forwardOut(target.address, target.port).catch(async (err: Error) => {
    await jump.close()
    const refused = /refused/i.test(err.message)
    throw new ConnectError(refused ? 'refused' : 'other', `cannot reach ${where}: ${err.message}`)
  })
  return {
    stream: channel,
    where,
    failure: async () => undefined,
    close: () => {
      channel.destroy()
      void jump.close()
    },
  }
}

interface HandshakeContext {
  target: SshTarget
  link: Link
  check: HostKeyCheck
  tried: string[]
  timeoutMs: number
}

async function handshakeError(
  err: unknown,
  {target, link, check, tried, timeoutMs}: HandshakeContext,
): Promise<ConnectError> {
  const error: Error & {level?: string; code?: string} = err instanceof Error ? err : new Error(String(err))
  if (check.verdict && check.verdict.status !== 'known' && check.verdict.status !== 'certificate-required')
    return check.error()
  if (error.level === 'client-authentication') {
    const attempts = tried.join(', ') || 'nothing (no SSH_AUTH_SOCK, no identity file found)'
    return new ConnectError(
      'auth',
      `authentication failed for ${target.user}@${link.where}: tried ${attempts}`,
      'check ansible_user and ansible_ssh_private_key_file, or load the key into ssh-agent',
    )
  }
  if (error.level === 'client-timeout')
    return new ConnectError(
      'timeout',
      `timed out after ${seconds(timeoutMs)} waiting for the SSH handshake with ${link.where}`,
    )
  const underneath = await link.failure()
  if (error.message === 'No response from server' || error.code === 'ECONNRESET' || underneath)
    return new ConnectError(
      'closed',
      `${link.where} closed the connection during the SSH handshake${underneath ? ` (${underneath})` : ''}`,
    )
  return new ConnectError('other', `SSH handshake with ${link.where} failed: ${error.message}`)
}

const warned = new Set<string>()

function warnOnce(message: string): void {
  if (warned.has(message)) return
  warned.add(message)
  process.stderr.write(`goldentooth: warning: ${message}\n`)
}

class SshConnection implements Connection {
  private readonly channels = pLimit(MAX_CHANNELS)
  /** Stopping commands uses the channels sshd allows beyond ours. */
  private readonly stoppers = pLimit(MAX_SESSIONS - MAX_CHANNELS)
  private readonly client: Client
  private closed = false
  private closing: Promise<void> | undefined
  readonly target: SshTarget
  private readonly ssh: NodeSSH
  private readonly link: Link

  constructor(target: SshTarget, ssh: NodeSSH, link: Link) {
    this.target = target
    this.ssh = ssh
    this.link = link
    this.client = ssh.connection as Client
    this.client.on('error', () => {})
    this.client.on('close', () => {
      this.closed = true
      link.close()
    })
  }

  /**
   * A channel slot is held until the server closes the channel, even when the result came earlier (a stopped command
   * still counts against sshd's MaxSessions until it is gone).
   */
  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      void this.channels(async () => {
        if (this.closed || this.closing) return reject(this.lostError())
        trace(this.target.host, 'exec')
        const running = startExec(this.client, command, options, (marker) => this.stopRemote(marker))
        running.result.then(
          ({lost, ...result}) => (lost ? reject(this.lostError()) : resolve(result)),
          (err: Error) =>
            reject(
              this.closed
                ? this.lostError()
                : new ConnectError('other', `cannot run a command on ${this.link.where}: ${err.message}`),
            ),
        )
        await running.closed
      })
    })
  }

  upload(content: UploadContent, remotePath: string, options: TransferOptions = {}): Promise<void> {
    trace(this.target.host, 'upload')
    return this.withSftp((sftp) => atomicUpload(sftp, content, remotePath, options.mode, this.target.host))
  }

  download(remotePath: string, localPath: string): Promise<void> {
    trace(this.target.host, 'download')
    return this.withSftp((sftp) => download(sftp, remotePath, localPath, this.target.host))
  }

  /** A direct-tcpip channel from the host to address:port, as `ssh -W` opens for a ProxyJump. */
  forwardOut(address: string, port: number): Promise<ClientChannel> {
    this.ensureOpen()
    return new Promise((resolve, reject) =>
      this.client.forwardOut('127.0.0.1', 0, address, port, (err, channel) => (err ? reject(err) : resolve(channel))),
    )
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      if (this.closed) return resolve()
      this.client.once('close', () => resolve())
      this.ssh.dispose()
    }).finally(() => this.link.close())
    return this.closing
  }

  private async withSftp(work: (sftp: SFTPWrapper) => Promise<void>): Promise<void> {
    return this.channels(async () => {
      this.ensureOpen()
      const sftp = await this.ssh.requestSFTP().catch((err: Error) => {
        throw this.closed
          ? this.lostError()
          : new ConnectError('other', `cannot start SFTP on ${this.link.where}: ${err.message}`)
      })
      try {
        await work(sftp)
      } finally {
        sftp.end()
      }
    })
  }

  private stopRemote(marker: string): Promise<unknown> {
    return this.stoppers(() => {
      trace(this.target.host, 'exec')
      return startExec(this.client, stopScript(marker), {timeoutMs: STOP_TIMEOUT_MS}, async () => {}).result
    })
  }

  private ensureOpen(): void {
    if (this.closed || this.closing) throw this.lostError()
  }

  private lostError(): ConnectError {
    return new ConnectError('closed', `the connection to ${this.link.where} was closed`)
  }
}
