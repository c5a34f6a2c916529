import {once} from 'node:events'
import {type AddressInfo, createServer, type Socket} from 'node:net'

export interface SilentListener {
  port: number
  /** Resolves at the first connection: the client is now waiting for an SSH banner that never comes. */
  connected: Promise<void>
  close(): Promise<void>
}

/** A loopback TCP listener that accepts connections and never says anything: a host whose sshd hangs. */
export async function startSilentListener(): Promise<SilentListener> {
  const sockets = new Set<Socket>()
  let onConnection: () => void = () => {}
  const connected = new Promise<void>((resolve) => (onConnection = resolve))
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
    socket.on('close', () => sockets.delete(socket))
    onConnection()
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
    connected,
    port: (server.address() as AddressInfo).port,
  }
}
