import {existsSync, mkdirSync} from 'node:fs'

import {RunError} from '../core/errors.js'
import {withLock} from '../state/lock.js'
import {aptProxyRunning, startAptProxy, stopAptProxy} from './apt-proxy.js'
import {ensureLabKey, operatorPublicKeys} from './keys.js'
import type {LabNode} from './lab-inventory.js'
import {raiseInotifyLimit} from './limits.js'
import {hostDebianMirrors} from './mirror.js'
import {ensureNamespace, namespaceExists} from './network.js'
import type {BootFailure, NodeStatus} from './nodes.js'
import {bootNodes, destroyNode, ensureForwarder, nodeRunning, nodeStatus, publishAccess} from './nodes.js'
import {mountsUnder} from './mounts.js'
import {LAB_LOCK, LAB_NODES_DIR, LAB_RUN_DIR, LAB_SOCKET_DIR} from './paths.js'
import {checkPrerequisites} from './prerequisites.js'
import {ensureRootfs} from './rootfs.js'
import type {LabState} from './state.js'
import {emptyState, readState, writeState} from './state.js'
import {teardown} from './teardown.js'

export interface LabUpOptions {
  /** Shown in the report: the inventory the nodes come from. */
  inventory: string
  progress: (line: string) => void
  /** Writes a generated inventory (lab up --nodes); called once stale leftovers are removed. */
  writeInventory?: () => void
  /** Default: 60 s plus 2 s for every node that boots. */
  bootTimeoutMs?: number
}

export interface LabUpReport {
  inventory: string
  sshConfig: string
  knownHosts: string
  rootfs: {path: string; built: boolean; seconds: number}
  started: string[]
  alreadyRunning: string[]
  failed: BootFailure[]
  nodes: NodeStatus[]
  seconds: number
}

function checkAddresses(state: LabState, nodes: readonly LabNode[]): void {
  for (const node of nodes) {
    const other = Object.values(state.nodes).find(
      (running) => running.address === node.address && running.name !== node.name,
    )
    if (other) {
      throw new RunError(
        `${node.name}'s address ${node.address} belongs to ${other.name} in the running lab`,
        'goldentooth lab down, then lab up',
      )
    }
  }
}

/** Forget what a crashed or killed run left behind, so that up only keeps nodes that are really running. */
async function dropStale(state: LabState, nodes: readonly LabNode[]): Promise<LabState> {
  if (state.namespace && !namespaceExists()) {
    await teardown(state)
    return emptyState()
  }
  const wanted = new Map(nodes.map((node) => [node.name, node.address]))
  for (const node of Object.values(state.nodes)) {
    const moved = wanted.has(node.name) && wanted.get(node.name) !== node.address
    if (moved || !nodeRunning(node)) await destroyNode(state, node.name)
  }
  return state
}

/**
 * Bring the lab to the inventory: nodes already running are left alone, missing ones are created and booted.
 * Prerequisites are checked first; the base is built once and cached.
 */
export async function labUp(nodes: readonly LabNode[], options: LabUpOptions): Promise<LabUpReport> {
  checkPrerequisites()
  return withLock(LAB_LOCK, 'lab up', async () => {
    const started = Date.now()
    const recorded = readState()
    if (!recorded && (namespaceExists() || mountsUnder(LAB_RUN_DIR).length > 0)) await teardown(undefined)
    const state = await dropStale(recorded ?? emptyState(), nodes)
    checkAddresses(state, nodes)
    writeState(state)
    options.writeInventory?.()
    mkdirSync(LAB_NODES_DIR, {recursive: true})
    mkdirSync(LAB_SOCKET_DIR, {recursive: true, mode: 0o700})

    const mirrors = hostDebianMirrors()
    const inUse = new Set(Object.values(state.nodes).map((node) => node.base))
    const rootfs = await ensureRootfs(mirrors, inUse, options.progress)
    const authorizedKeys = [await ensureLabKey(), ...operatorPublicKeys()]

    if (!state.namespace) {
      state.createdNetnsDir = !existsSync('/run/netns')
      state.namespace = true
      writeState(state)
    }
    await ensureNamespace()
    if (!aptProxyRunning(state.aptProxy)) {
      if (state.aptProxy) await stopAptProxy(state.aptProxy)
      await startAptProxy((proxy) => {
        state.aptProxy = proxy
        writeState(state)
      })
    }

    const total = new Set([...Object.keys(state.nodes), ...nodes.map((node) => node.name)]).size
    const before = raiseInotifyLimit(total)
    if (before !== undefined && state.inotifyInstancesBefore === undefined) {
      state.inotifyInstancesBefore = before
      writeState(state)
    }

    const alreadyRunning = nodes.filter((node) => state.nodes[node.name])
    for (const node of Object.values(state.nodes)) ensureForwarder(state, node)
    const toStart = nodes.filter((node) => !state.nodes[node.name])
    if (toStart.length > 0) options.progress(`booting ${toStart.map((node) => node.name).join(', ')}`)
    const failed = await bootNodes(state, toStart, {
      base: rootfs.root,
      authorizedKeys,
      mirrors,
      bootTimeoutMs: options.bootTimeoutMs ?? 60_000 + 2_000 * toStart.length,
    })
    const access = publishAccess(state)
    return {
      inventory: options.inventory,
      ...access,
      rootfs: {path: rootfs.root, built: rootfs.built, seconds: rootfs.seconds},
      started: toStart.map((node) => node.name),
      alreadyRunning: alreadyRunning.map((node) => node.name),
      failed,
      nodes: nodes.map((node) => nodeStatus(node.name, node.address, state.nodes[node.name])),
      seconds: (Date.now() - started) / 1000,
    }
  })
}
