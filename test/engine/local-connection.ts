import {spawn} from 'node:child_process'
import {chmod, copyFile, rename, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {Readable} from 'node:stream'

import type {Connect} from '../../src/fanout/session.js'
import type {Connection, ExecOptions, ExecResult, SshTarget, TransferOptions} from '../../src/transport/types.js'

import {Session} from '../../src/fanout/session.js'

let uploads = 0

/**
 * A connection to this machine under an inventory host's name: commands run by the local sh, files written in place.
 * Its user is root, so engine scripts run as they are (the tests give them a scratch directory as their root).
 */
export class LocalConnection implements Connection {
  readonly target: SshTarget

  constructor(host: string) {
    this.target = {
      address: '127.0.0.1',
      become: false,
      host,
      identityFiles: [],
      knownHostsFiles: [],
      knownHostsName: host,
      lab: false,
      port: 22,
      user: 'root',
    }
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const started = performance.now()
    const result = (exitCode: number | null, signal: string | null, stdout: Buffer, stderr: Buffer, stop?: string) => ({
      durationMs: Math.round(performance.now() - started),
      exitCode: stop ? null : exitCode,
      signal,
      stderr: stderr.toString('utf8'),
      stdout: stdout.toString('utf8'),
      streams: {
        stderr: {bytes: stderr.length, omittedBytes: 0, utf8: true},
        stdout: {bytes: stdout.length, omittedBytes: 0, utf8: true},
      },
      timedOut: stop === 'timeout',
    })
    if (options.signal?.aborted) return result(null, null, Buffer.alloc(0), Buffer.alloc(0), 'abort')
    const child = spawn('sh', ['-c', command], {detached: true, stdio: 'pipe'})
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
    let stopped: string | undefined
    const stop = (why: string) => {
      stopped ??= why
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM')
    }
    const onAbort = () => stop('abort')
    options.signal?.addEventListener('abort', onAbort, {once: true})
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), options.timeoutMs)
    const {stdin} = options
    if (stdin instanceof Readable) stdin.pipe(child.stdin)
    else child.stdin.end(stdin)
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve, reject) => {
      child.on('error', reject)
      child.on('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]))
    }).finally(() => {
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
    })
    return result(code, signal, Buffer.concat(out), Buffer.concat(err), stopped)
  }

  async upload(
    content: Buffer | string | {localPath: string},
    remotePath: string,
    options: TransferOptions = {},
  ): Promise<void> {
    const temporary = path.join(path.dirname(remotePath), `.upload-${process.pid}-${++uploads}`)
    if (typeof content === 'object' && 'localPath' in content) await copyFile(content.localPath, temporary)
    else await writeFile(temporary, content)
    if (options.mode !== undefined) await chmod(temporary, options.mode)
    await rename(temporary, remotePath)
  }

  async download(remotePath: string, localPath: string): Promise<void> {
    await copyFile(remotePath, localPath)
  }

  async close(): Promise<void> {}
}

export const connectLocally: Connect = async (host) => new LocalConnection(host)

/** A session whose hosts are all this machine, reached through `connect` (by default, always). */
export function localSession(
  hosts: readonly string[],
  options: {connect?: Connect; forks?: number; signal: AbortSignal},
): Session {
  return new Session(hosts, options.connect ?? connectLocally, {forks: options.forks ?? 5, signal: options.signal})
}
