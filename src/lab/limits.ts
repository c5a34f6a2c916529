import {readFileSync, writeFileSync} from 'node:fs'

const INOTIFY_INSTANCES = '/proc/sys/fs/inotify/max_user_instances'
/** Every node's systemd, journald, logind, networkd and dbus hold inotify instances; all count against root's limit. */
const INOTIFY_PER_NODE = 8
const INOTIFY_HOST_SHARE = 64

function inotifyInstances(): number {
  return Number(readFileSync(INOTIFY_INSTANCES, 'utf8').trim())
}

/**
 * Raise root's inotify instance limit (128 by default: room for about 15 nodes beside the host) for `nodes` nodes.
 * Returns the limit before when it raised it, so that lab down can put it back; undefined when it was high enough.
 */
export function raiseInotifyLimit(nodes: number): number | undefined {
  const current = inotifyInstances()
  const needed = INOTIFY_HOST_SHARE + INOTIFY_PER_NODE * nodes
  if (current >= needed) return undefined
  writeFileSync(INOTIFY_INSTANCES, `${needed}\n`)
  return current
}

export function restoreInotifyLimit(previous: number): void {
  writeFileSync(INOTIFY_INSTANCES, `${previous}\n`)
}
