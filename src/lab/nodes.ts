import {existsSync, rmSync} from 'node:fs'

import pLimit from 'p-limit'

import {consoleTail} from './console.js'
import {writeKnownHosts, writeSshConfig} from './keys.js'
import type {LabNode} from './lab-inventory.js'
import type {DebianMirrors} from './mirror.js'
import {configureNodeRoot, mountNodeRoot, removeNodeRoot} from './node-root.js'
import {startNode, startSshForwarder, stopNode} from './node-process.js'
import {LAB_KNOWN_HOSTS, LAB_SSH_CONFIG, nodePaths, sshSocketPath} from './paths.js'
import {isAlive, startedAt, terminate} from './processes.js'
import {waitForSsh} from './ssh-banner.js'
import type {LabState, NodeState} from './state.js'
import {writeState} from './state.js'

export type NodeRunState = 'running' | 'stopped' | 'failed-to-boot'

export interface NodeStatus {
  name: string
  address: string
  state: NodeRunState
  /** The node's systemd-nspawn process on the host. */
  pid: number | null
  uptimeSeconds: number | null
  socket: string
  socketPresent: boolean
}

export interface BootFailure {
  name: string
  reason: string
  console: string[]
  consoleLog: string
}

/** How many console lines a boot failure reports. */
const CONSOLE_LINES = 15

export function nodeRunning(node: NodeState | undefined): boolean {
  return node?.nspawn !== undefined && isAlive(node.nspawn) && !node.bootFailed
}

export function nodeStatus(name: string, address: string, node: NodeState | undefined): NodeStatus {
  const alive = node?.nspawn !== undefined && isAlive(node.nspawn)
  const state: NodeRunState = node?.bootFailed ? 'failed-to-boot' : alive ? 'running' : 'stopped'
  const socket = sshSocketPath(address)
  return {
    name,
    address,
    state,
    pid: alive && node?.nspawn ? node.nspawn.pid : null,
    uptimeSeconds:
      alive && node?.nspawn ? Math.max(0, Math.round((Date.now() - startedAt(node.nspawn).getTime()) / 1000)) : null,
    socket,
    socketPresent: existsSync(socket),
  }
}

/** Stop a node and its forwarder and drop its overlay (its writes are lost); the node leaves the state. */
export async function destroyNode(state: LabState, name: string): Promise<void> {
  const node = state.nodes[name]
  if (!node) return
  await Promise.all([
    node.forwarder ? terminate(node.forwarder, 5_000) : undefined,
    stopNode(name, node.nspawn, node.bootFailed ? 1_000 : undefined),
  ])
  rmSync(sshSocketPath(node.address), {force: true})
  await removeNodeRoot(name)
  delete state.nodes[name]
  writeState(state)
}

export interface BootContext {
  base: string
  authorizedKeys: readonly string[]
  mirrors: DebianMirrors
  bootTimeoutMs: number
}

/**
 * Create, start and wait for nodes: a fresh overlay each, configured, booted, with its socket forwarder. Every step is
 * recorded in the state before the next. Returns the nodes that did not come up, with their console's last lines.
 */
export async function bootNodes(
  state: LabState,
  nodes: readonly LabNode[],
  context: BootContext,
): Promise<BootFailure[]> {
  const limit = pLimit(4)
  await Promise.all(
    nodes.map((node) =>
      limit(async () => {
        const record: NodeState = {name: node.name, address: node.address, base: context.base}
        state.nodes[node.name] = record
        writeState(state)
        await mountNodeRoot(node.name, context.base)
        record.hostKey = await configureNodeRoot(node, context.authorizedKeys, context.mirrors)
        record.nspawn = startNode(node.name)
        writeState(state)
        record.forwarder = startSshForwarder(node.name, node.address)
        writeState(state)
      }),
    ),
  )
  const deadline = Date.now() + context.bootTimeoutMs
  const outcomes = await Promise.all(
    nodes.map(async (node) => {
      const record = state.nodes[node.name]
      const nspawn = record?.nspawn
      const result = nspawn ? await waitForSsh(sshSocketPath(node.address), () => isAlive(nspawn), deadline) : 'exited'
      return {node, result}
    }),
  )
  const failures: BootFailure[] = []
  for (const {node, result} of outcomes) {
    if (result === 'up') continue
    const record = state.nodes[node.name]
    if (record) record.bootFailed = true
    const consoleLog = nodePaths(node.name).console
    failures.push({
      name: node.name,
      reason:
        result === 'exited'
          ? 'its container exited during boot'
          : `sshd did not answer within ${Math.round(context.bootTimeoutMs / 1000)} s`,
      console: consoleTail(consoleLog, CONSOLE_LINES),
      consoleLog,
    })
  }
  writeState(state)
  return failures
}

/** Restart a running node's socket forwarder if it died. */
export function ensureForwarder(state: LabState, node: NodeState): void {
  if (node.forwarder && isAlive(node.forwarder)) return
  node.forwarder = startSshForwarder(node.name, node.address)
  writeState(state)
}

/** known_hosts and ssh_config for every node that is up, so external tools reach exactly the running lab. */
export function publishAccess(state: LabState): {knownHosts: string; sshConfig: string} {
  const known = Object.values(state.nodes).flatMap((node) =>
    nodeRunning(node) && node.hostKey ? [{name: node.name, address: node.address, hostKey: node.hostKey}] : [],
  )
  writeKnownHosts(known)
  writeSshConfig(known)
  return {knownHosts: LAB_KNOWN_HOSTS, sshConfig: LAB_SSH_CONFIG}
}
