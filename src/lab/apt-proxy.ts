import {mkdirSync, rmSync, writeFileSync} from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {RunError} from '../core/errors.js'
import {consoleTail} from './console.js'
import {inLabNamespace} from './network.js'
import {APT_CACHE_DIR, APT_PROXY_DIR, APT_PROXY_PORT, APT_PROXY_SOCKET, BRIDGE_ADDRESS} from './paths.js'
import {isAlive, spawnDetached, terminate} from './processes.js'
import type {AptProxyState} from './state.js'

const CACHER_LOG = path.join(APT_PROXY_DIR, 'apt-cacher-ng.out')

/** apt-cacher-ng rejects ports above 32767, so the ephemeral range is out: take the first free one from here. */
const FIRST_CACHER_PORT = 31420

function listens(port: number): Promise<boolean> {
  const server = net.createServer()
  return new Promise((resolve) => {
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

async function freeLoopbackPort(): Promise<number> {
  for (let port = FIRST_CACHER_PORT; port < FIRST_CACHER_PORT + 100; port++) if (await listens(port)) return port
  throw new RunError(
    `no free port on 127.0.0.1 for the lab's apt proxy (tried ${FIRST_CACHER_PORT}-${FIRST_CACHER_PORT + 99})`,
  )
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

export function aptProxyRunning(proxy: AptProxyState | undefined): boolean {
  return [proxy?.cacher, proxy?.hostForwarder, proxy?.labForwarder].every((ref) => ref !== undefined && isAlive(ref))
}

/**
 * The nodes' way to Debian packages without any route out of the lab: apt-cacher-ng (caching in /var/cache) listens
 * on 127.0.0.1 on the host; socat bridges it to a UNIX socket, and socat inside the lab namespace serves that socket
 * at 10.77.0.1:3142, the proxy every node's apt is configured with. `record` is called after each process starts.
 */
export async function startAptProxy(record: (proxy: AptProxyState) => void): Promise<AptProxyState> {
  mkdirSync(APT_PROXY_DIR, {recursive: true})
  mkdirSync(APT_CACHE_DIR, {recursive: true})
  const proxy: AptProxyState = {port: await freeLoopbackPort()}
  writeFileSync(
    path.join(APT_PROXY_DIR, 'acng.conf'),
    [
      `CacheDir: ${APT_CACHE_DIR}`,
      `LogDir: ${APT_PROXY_DIR}`,
      'SupportDir: /usr/lib/apt-cacher-ng',
      'BindAddress: 127.0.0.1',
      `Port: ${proxy.port}`,
      'ForeGround: 1',
      'ExThreshold: 4',
      '',
    ].join('\n'),
  )
  proxy.cacher = spawnDetached('apt-cacher-ng', ['-c', APT_PROXY_DIR], CACHER_LOG, 'w')
  record(proxy)
  const deadline = Date.now() + 10_000
  while (!(await accepts(proxy.port))) {
    if (!isAlive(proxy.cacher) || Date.now() > deadline) {
      throw new RunError(
        `the lab's apt proxy (apt-cacher-ng) did not start: ${consoleTail(CACHER_LOG, 1).join('') || 'no output'}`,
        `see ${CACHER_LOG}`,
      )
    }
    await sleep(100)
  }
  rmSync(APT_PROXY_SOCKET, {force: true})
  proxy.hostForwarder = spawnDetached(
    'socat',
    [`UNIX-LISTEN:${APT_PROXY_SOCKET},fork,unlink-early,mode=600`, `TCP:127.0.0.1:${proxy.port}`],
    path.join(APT_PROXY_DIR, 'host-forwarder.log'),
    'w',
  )
  record(proxy)
  const [command, args] = inLabNamespace('socat', [
    `TCP-LISTEN:${APT_PROXY_PORT},bind=${BRIDGE_ADDRESS},fork,reuseaddr`,
    `UNIX-CONNECT:${APT_PROXY_SOCKET}`,
  ])
  proxy.labForwarder = spawnDetached(command, args, path.join(APT_PROXY_DIR, 'lab-forwarder.log'), 'w')
  record(proxy)
  return proxy
}

export async function stopAptProxy(proxy: AptProxyState): Promise<void> {
  for (const ref of [proxy.labForwarder, proxy.hostForwarder, proxy.cacher]) if (ref) await terminate(ref, 5_000)
}
