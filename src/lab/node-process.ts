import {rmSync} from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'

import {execa} from 'execa'

import {createNodeCgroups, removeNodeCgroups} from './cgroups.js'
import {inLabNamespace} from './network.js'
import {BRIDGE, NETNS, nodePaths, sshSocketPath} from './paths.js'
import type {ProcessRef} from './processes.js'
import {signalAndWait, spawnDetached} from './processes.js'

/** How long a node gets to power off cleanly before nspawn is asked again, which kills it. */
const POWEROFF_TIMEOUT_MS = 10_000
const VETH_GONE_TIMEOUT_MS = 10_000

/**
 * Boot the node's container inside the lab namespace, in cgroups of its own, detached, console to its log.
 * --register=no and --keep-unit: there is no machined on the host, and nspawn stays in the cgroups it starts in.
 */
export function startNode(name: string): ProcessRef {
  const paths = nodePaths(name)
  const [command, args] = inLabNamespace('systemd-nspawn', [
    '--boot',
    '--register=no',
    '--keep-unit',
    `--network-bridge=${BRIDGE}`,
    `--machine=${name}`,
    `--directory=${paths.root}`,
    '--console=read-only',
    '--resolv-conf=off',
    '--timezone=off',
    '--link-journal=no',
  ])
  const procs = createNodeCgroups(name)
  const enterCgroups =
    'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 1; shift; n=$((n - 1)); done; exec "$@"'
  return spawnDetached(
    '/bin/sh',
    ['-c', enterCgroups, 'sh', String(procs.length), ...procs, command, ...args],
    paths.console,
    'w',
  )
}

/**
 * Power the node off. SIGTERM makes nspawn ask the container's systemd for an orderly shutdown; a second SIGTERM makes
 * nspawn kill the container (a systemd still starting ignores the first). Whatever is left in the node's cgroups (a
 * container whose nspawn was killed from outside lives on) is killed, and the cgroups removed. Returns once the node's
 * veth is gone from the lab namespace, so that the node can boot again at once. nspawn cannot remove its propagation
 * directory when /run is not a tmpfs; that directory is the node's, so it goes as well.
 */
export async function stopNode(
  name: string,
  nspawn: ProcessRef | undefined,
  timeoutMs = POWEROFF_TIMEOUT_MS,
): Promise<void> {
  if (nspawn && !(await signalAndWait(nspawn, 'SIGTERM', timeoutMs))) {
    if (!(await signalAndWait(nspawn, 'SIGTERM', 5_000))) await signalAndWait(nspawn, 'SIGKILL', 5_000)
  }
  await removeNodeCgroups(name)
  await removeVeth(name)
  rmSync(`/run/systemd/nspawn/propagate/${name}`, {recursive: true, force: true})
}

/** The kernel drops a dead container's veth pair asynchronously; wait for it, then delete it if it is still there. */
async function removeVeth(name: string): Promise<void> {
  if (name.length > 12) return
  const link = ['-n', NETNS, 'link', 'show', 'dev', `vb-${name}`]
  const deadline = Date.now() + VETH_GONE_TIMEOUT_MS
  while (!(await execa('ip', link, {reject: false, stdin: 'ignore'})).failed) {
    if (Date.now() > deadline) {
      await execa('ip', ['-n', NETNS, 'link', 'delete', 'dev', `vb-${name}`], {reject: false, stdin: 'ignore'})
      return
    }
    await sleep(100)
  }
}

/** socat inside the lab namespace: the node's UNIX socket on the host side, its sshd on the other. */
export function startSshForwarder(name: string, address: string): ProcessRef {
  const socket = sshSocketPath(address)
  rmSync(socket, {force: true})
  const [command, args] = inLabNamespace('socat', [
    `UNIX-LISTEN:${socket},fork,unlink-early,mode=600`,
    `TCP:${address}:22,connect-timeout=5`,
  ])
  return spawnDetached(command, args, `${nodePaths(name).dir}/forwarder.log`, 'w')
}
