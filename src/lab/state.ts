import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {LAB_STATE_FILE} from './paths.js'
import type {ProcessRef} from './processes.js'

export interface NodeState {
  name: string
  address: string
  /** Lower (read-only) directory of the node's overlay. */
  base: string
  nspawn?: ProcessRef
  forwarder?: ProcessRef
  /** The node's ed25519 host key, `ssh-ed25519 AAAA…`. */
  hostKey?: string
  bootFailed?: boolean
}

export interface AptProxyState {
  port: number
  cacher?: ProcessRef
  hostForwarder?: ProcessRef
  labForwarder?: ProcessRef
}

/**
 * What `lab up` created, written before each step it records (intent first), so that `lab down` and the next `lab up`
 * remove exactly that, also after a crash.
 */
export interface LabState {
  /** The lab created /run/netns (ip netns add does when it is missing) and removes it again when it is empty. */
  createdNetnsDir: boolean
  namespace: boolean
  /** fs.inotify.max_user_instances before the lab raised it for its nodes. */
  inotifyInstancesBefore?: number
  aptProxy?: AptProxyState
  nodes: Record<string, NodeState>
}

export function emptyState(): LabState {
  return {createdNetnsDir: false, namespace: false, nodes: {}}
}

export function readState(file = LAB_STATE_FILE): LabState | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LabState
  } catch {
    return undefined
  }
}

export function writeState(state: LabState, file = LAB_STATE_FILE): void {
  mkdirSync(path.dirname(file), {recursive: true})
  const temp = `${file}.${process.pid}.tmp`
  writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`)
  renameSync(temp, file)
}
