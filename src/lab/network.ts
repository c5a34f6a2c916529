import {existsSync} from 'node:fs'

import {execa} from 'execa'

import {run} from './exec.js'
import {BRIDGE, BRIDGE_ADDRESS, NETNS, NETNS_PATH} from './paths.js'

export function namespaceExists(): boolean {
  return existsSync(NETNS_PATH)
}

/** Arguments that make nsenter run a command inside the lab's network namespace (ip netns exec would remount /sys). */
export function inLabNamespace(command: string, args: readonly string[]): [string, string[]] {
  return ['nsenter', [`--net=${NETNS_PATH}`, command, ...args]]
}

async function bridgeExists(): Promise<boolean> {
  const result = await execa('ip', ['-n', NETNS, 'link', 'show', BRIDGE], {reject: false, stdin: 'ignore'})
  return !result.failed
}

/** The namespace with its bridge up at 10.77.0.1/24; nothing outside the namespace changes. */
export async function ensureNamespace(): Promise<void> {
  if (!namespaceExists()) {
    await run('ip', ['netns', 'add', NETNS])
    await run('ip', ['-n', NETNS, 'link', 'set', 'lo', 'up'])
  }
  if (!(await bridgeExists())) {
    await run('ip', ['-n', NETNS, 'link', 'add', BRIDGE, 'type', 'bridge'])
    await run('ip', ['-n', NETNS, 'address', 'add', `${BRIDGE_ADDRESS}/24`, 'dev', BRIDGE])
    await run('ip', ['-n', NETNS, 'link', 'set', BRIDGE, 'up'])
  }
}

export async function deleteNamespace(): Promise<void> {
  if (namespaceExists()) await run('ip', ['netns', 'delete', NETNS])
}
