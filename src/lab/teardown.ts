import {readdirSync, rmdirSync, rmSync} from 'node:fs'

import {stopAptProxy} from './apt-proxy.js'
import {removeLabCgroups} from './cgroups.js'
import {run} from './exec.js'
import {writeKnownHosts} from './keys.js'
import {restoreInotifyLimit} from './limits.js'
import {isMountPoint, unmountAll} from './mounts.js'
import {deleteNamespace, namespaceExists} from './network.js'
import {destroyNode} from './nodes.js'
import {LAB_RUN_DIR, NETNS_PATH} from './paths.js'
import {processesInNetns, processesUsing, processRef, terminate} from './processes.js'
import type {LabState} from './state.js'
import {writeState} from './state.js'

const NETNS_DIR = '/run/netns'
/** What the lab runs on the host: a leftover one whose arguments point into the lab's runtime directory is ours. */
const LAB_DAEMONS = ['systemd-nspawn', 'socat', 'apt-cacher-ng']

function isEmptyDir(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0
  } catch {
    return false
  }
}

/**
 * Remove everything the lab created: nodes, forwarders, apt proxy, then any process a crashed run left without
 * recording it (inside the lab namespace, or a lab daemon working on /run/goldentooth/lab), the namespace, the nodes'
 * cgroups, mounts under /run/goldentooth/lab and that directory; known_hosts is emptied and a raised inotify limit
 * restored. The rootfs cache, the lab key and the apt cache stay. Safe to call again after a partial failure.
 */
export async function teardown(state: LabState | undefined): Promise<string[]> {
  const stopped: string[] = []
  if (state) {
    await Promise.all(
      Object.keys(state.nodes).map(async (name) => {
        await destroyNode(state, name)
        stopped.push(name)
      }),
    )
    if (state.aptProxy) {
      await stopAptProxy(state.aptProxy)
      delete state.aptProxy
      writeState(state)
    }
  }
  const inNamespace = namespaceExists() ? processesInNetns(NETNS_PATH) : []
  const leftovers = [...new Set([...inNamespace, ...processesUsing(LAB_RUN_DIR, LAB_DAEMONS)])]
    .filter((pid) => pid !== process.pid)
    .flatMap((pid) => processRef(pid) ?? [])
  await Promise.all(leftovers.map((ref) => terminate(ref, 30_000)))
  await deleteNamespace()
  await removeLabCgroups()
  if (state?.inotifyInstancesBefore !== undefined) restoreInotifyLimit(state.inotifyInstancesBefore)
  writeKnownHosts([])
  await unmountAll(LAB_RUN_DIR)
  rmSync(LAB_RUN_DIR, {recursive: true, force: true})
  if (isEmptyDir('/run/goldentooth')) rmdirSync('/run/goldentooth')
  if (state?.createdNetnsDir && isEmptyDir(NETNS_DIR)) {
    while (isMountPoint(NETNS_DIR)) await run('umount', [NETNS_DIR])
    rmdirSync(NETNS_DIR)
  }
  return stopped.sort((a, b) => a.localeCompare(b, 'en', {numeric: true}))
}
