import {spawn} from 'node:child_process'
import {connect as netConnect, type Socket} from 'node:net'
import {Duplex} from 'node:stream'

import {ConnectError} from './errors.js'
import type {SshTarget} from './types.js'

/** How long a failed handshake waits for the proxy command to exit, to report its status and stderr. */
const PROXY_EXIT_WAIT_MS = 1_000

/** The byte stream an SSH session runs over, and how to tear it down. */
export interface Link {
  stream: Duplex
  /** How the address was reached, for messages: `10.0.0.1:22`, `… via jump`, `… through socket PATH`. */
  where: string
  /** What went wrong underneath (a proxy command's exit and stderr), when the SSH layer only saw the stream close. */
  failure(): Promise<string | undefined>
  close(): void
}

/** A direct TCP connection or one through the host's UNIX socket; ProxyCommand and ProxyJump are handled elsewhere. */
export async function openSocketLink(target: SshTarget, timeoutMs: number): Promise<Link> {
  if (target.socket !== undefined) return openUnixSocket(target, target.socket, timeoutMs)
  const where = `${target.address}:${target.port}`
  const socket = netConnect({host: target.address, port: target.port})
  await settle(socket, timeoutMs, (err) => {
    if (err === 'timeout')
      return new ConnectError('timeout', `timed out after ${seconds(timeoutMs)} connecting to ${where}`)
    switch (err.code) {
      case 'ECONNREFUSED':
        return new ConnectError('refused', `connection refused by ${where}`, 'is sshd running there, on this port?')
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
      case 'EAI_NONAME':
        return new ConnectError(
          'dns',
          `cannot resolve ${target.address}`,
          'check ansible_host or HostName in ssh_config',
        )
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
        return new ConnectError('unreachable', `no route to ${where}`)
      case 'ETIMEDOUT':
        return new ConnectError('timeout', `timed out connecting to ${where}`)
      default:
        return new ConnectError('other', `cannot connect to ${where}: ${err.message}`)
    }
  })
  return socketLink(socket, where)
}

async function openUnixSocket(target: SshTarget, path: string, timeoutMs: number): Promise<Link> {
  const socket = netConnect({path})
  await settle(socket, timeoutMs, (err) => {
    if (err !== 'timeout' && (err.code === 'ENOENT' || err.code === 'ECONNREFUSED')) {
      if (target.lab)
        return new ConnectError('lab-down', 'the lab is not running: goldentooth lab up', `no listener on ${path}`)
      return err.code === 'ENOENT'
        ? new ConnectError('socket-missing', `socket ${path} for ${target.address} does not exist`)
        : new ConnectError('refused', `nothing listens on socket ${path} for ${target.address}`)
    }
    const reason = err === 'timeout' ? 'timed out' : err.message
    return new ConnectError('other', `cannot connect to socket ${path} for ${target.address}: ${reason}`)
  })
  return socketLink(socket, `${target.address} through socket ${path}`)
}

function socketLink(socket: Socket, where: string): Link {
  return {stream: socket, where, failure: async () => undefined, close: () => socket.destroy()}
}

function settle(
  socket: Socket,
  timeoutMs: number,
  classify: (err: NodeJS.ErrnoException | 'timeout') => ConnectError,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException | 'timeout') => {
      clearTimeout(timer)
      socket.destroy()
      reject(classify(err))
    }
    const timer = setTimeout(() => fail('timeout'), timeoutMs)
    socket.once('error', fail)
    socket.once('connect', () => {
      clearTimeout(timer)
      socket.off('error', fail)
      resolve()
    })
  })
}

/**
 * Run the ProxyCommand with `sh -c`, as ssh does, and talk SSH over its stdin and stdout. Its stderr is kept to explain
 * a failure. The process is killed when the link closes.
 */
export function openProxyCommandLink(target: SshTarget, command: string): Link {
  const child = spawn('sh', ['-c', `exec ${command}`], {stdio: ['pipe', 'pipe', 'pipe']})
  const stderr: Buffer[] = []
  let exit: string | undefined
  const exited = new Promise<void>((resolve) => {
    child.on('error', (err) => {
      exit = err.message
      resolve()
    })
    child.on('close', (code, signal) => {
      exit = signal ? `killed by ${signal}` : `exited with status ${code}`
      resolve()
    })
  })
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
  const stream = Duplex.from({readable: child.stdout, writable: child.stdin})
  stream.on('error', () => {})
  return {
    stream,
    where: `${target.address}:${target.port} through ProxyCommand`,
    failure: async () => {
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, PROXY_EXIT_WAIT_MS).unref())])
      const said = Buffer.concat(stderr).toString('utf8').trim().split('\n').at(-1)
      if (exit === undefined && !said) return undefined
      return `ProxyCommand ${exit ?? 'failed'}${said ? `: ${said}` : ''}`
    },
    close: () => {
      stream.destroy()
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    },
  }
}

export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`
}
