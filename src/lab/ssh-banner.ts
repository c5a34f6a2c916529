import net from 'node:net'
import {setTimeout as sleep} from 'node:timers/promises'

/** Connect to a node's UNIX socket and read the first line; the SSH banner (`SSH-2.0-…`) or undefined. */
function readSshBanner(socketPath: string, timeoutMs = 3_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    let received = ''
    const socket = net.connect(socketPath)
    const done = (banner: string | undefined) => {
      socket.destroy()
      resolve(banner)
    }
    socket.setTimeout(timeoutMs, () => done(undefined))
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1')
      const newline = received.indexOf('\n')
      if (newline >= 0) done(received.startsWith('SSH-') ? received.slice(0, newline).trim() : undefined)
    })
    socket.on('error', () => done(undefined))
    socket.on('close', () => done(undefined))
  })
}

export type BootWait = 'up' | 'exited' | 'timeout'

/** Poll the socket until sshd answers, the node's process is gone, or the deadline passes. */
export async function waitForSsh(socketPath: string, alive: () => boolean, deadline: number): Promise<BootWait> {
  for (;;) {
    if (!alive()) return 'exited'
    if (await readSshBanner(socketPath)) return 'up'
    if (Date.now() >= deadline) return 'timeout'
    await sleep(250)
  }
}
