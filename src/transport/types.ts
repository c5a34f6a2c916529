import type {Readable} from 'node:stream'

import type {StreamInfo} from './captured-output.js'

/** Everything needed to open one SSH connection, resolved from the inventory and the operator's OpenSSH config. */
export interface SshTarget {
  /** Inventory host name. */
  host: string
  /** Address to connect to (ssh -G `hostname`). */
  address: string
  port: number
  user: string
  identityFiles: string[]
  /** Name known_hosts entries are looked up under (HostKeyAlias, else address, with [address]:port for non-22 ports). */
  knownHostsName: string
  /** UserKnownHostsFile then GlobalKnownHostsFile entries, `~` and `%` tokens expanded. */
  knownHostsFiles: string[]
  /** ssh -G `connecttimeout`, when the operator's config sets one. */
  connectTimeoutMs?: number
  /** The last ProxyJump hop, resolved the same way; the connection is tunnelled through it. */
  jump?: SshTarget
  /** ProxyCommand with its `%h %p %r %n` tokens expanded, run with `sh -c`; its stdio carries the connection. */
  proxyCommand?: string
  /** Local UNIX socket that reaches the host's sshd (the lab's forwarders). */
  socket?: string
  /** The inventory marks the host as a lab node: a missing socket means the lab is down. */
  lab: boolean
  /** Run root commands through `sudo -n` (the login user is not root and ansible_become allows it). */
  become: boolean
}

export interface ExecOptions {
  stdin?: string | Buffer | Readable
  timeoutMs?: number
  signal?: AbortSignal
  /** Bytes of each stream to keep (its first and last halves); 0 keeps everything. Default DEFAULT_CAPTURE_LIMIT. */
  maxOutputBytes?: number
  onStdout?: (chunk: Buffer) => void
  onStderr?: (chunk: Buffer) => void
}

export interface ExecResult {
  /** null when the command was killed by a signal or timed out. */
  exitCode: number | null
  signal: string | null
  stdout: string
  stderr: string
  /** How much each stream sent, how much of it was left out, and whether it was text. */
  streams: {stderr: StreamInfo; stdout: StreamInfo}
  timedOut: boolean
  durationMs: number
}

export interface TransferOptions {
  /** Octal mode for the written file, e.g. 0o600. */
  mode?: number
}

/** One open connection to one host, reused for everything in a run. Never throws on a non-zero exit. */
export interface Connection {
  readonly target: SshTarget
  exec(command: string, options?: ExecOptions): Promise<ExecResult>
  /** Write a file atomically: upload to a temporary name in the same directory, then rename over the destination. */
  upload(content: Buffer | string | {localPath: string}, remotePath: string, options?: TransferOptions): Promise<void>
  download(remotePath: string, localPath: string): Promise<void>
  close(): Promise<void>
}
