import {existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync} from 'node:fs'
import path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {RunError} from '../core/errors.js'

const CGROUP_ROOT = '/sys/fs/cgroup'
const LAB_CGROUP = 'goldentooth-lab'

/**
 * The hierarchies systemd uses: the unified one alone (cgroup v2), or name=systemd plus unified (hybrid, as on this
 * kind of machine). Without a systemd on the host nspawn stays in the caller's cgroup, so every node would share one
 * system.slice; each node gets a cgroup of its own in each of these instead.
 */
function hierarchies(): string[] {
  if (existsSync(path.join(CGROUP_ROOT, 'cgroup.controllers'))) return [CGROUP_ROOT]
  return ['systemd', 'unified'].map((name) => path.join(CGROUP_ROOT, name)).filter((dir) => existsSync(dir))
}

function nodeCgroups(name: string): string[] {
  return hierarchies().map((root) => path.join(root, LAB_CGROUP, name))
}

/** Create the node's cgroups; returns their cgroup.procs files, which the node's nspawn enters before it starts. */
export function createNodeCgroups(name: string): string[] {
  const dirs = nodeCgroups(name)
  if (dirs.length === 0) {
    throw new RunError(`no systemd cgroup hierarchy under ${CGROUP_ROOT}`, 'mount cgroup v2 (or name=systemd)')
  }
  for (const dir of dirs) mkdirSync(dir, {recursive: true})
  return dirs.map((dir) => path.join(dir, 'cgroup.procs'))
}

function subtree(dir: string): string[] {
  let entries: string[] = []
  try {
    entries = readdirSync(dir, {withFileTypes: true})
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
  } catch {
    return []
  }
  return [...entries.flatMap((entry) => subtree(path.join(dir, entry))), dir]
}

function processesIn(dirs: readonly string[]): number[] {
  return dirs.flatMap((dir) => {
    try {
      return readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number)
    } catch {
      return []
    }
  })
}

/**
 * Kill whatever still runs in the node's cgroups (a container whose nspawn was killed from outside lives on there)
 * and remove them, deepest first.
 */
export async function removeNodeCgroups(name: string): Promise<void> {
  const dirs = nodeCgroups(name).flatMap(subtree)
  const deadline = Date.now() + 10_000
  for (let pids = processesIn(dirs); pids.length > 0; pids = processesIn(dirs)) {
    if (Date.now() > deadline) throw new RunError(`cannot stop the processes of lab node ${name}: ${pids.join(' ')}`)
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        continue
      }
    }
    await sleep(100)
  }
  for (const dir of dirs) {
    while (!removeDir(dir)) {
      if (Date.now() > deadline) throw new RunError(`cannot remove cgroup ${dir} of lab node ${name}`)
      await sleep(100)
    }
  }
}

/** rmdir a cgroup; false while the kernel still counts exiting processes in it. */
function removeDir(dir: string): boolean {
  try {
    rmdirSync(dir)
    return true
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return true
    if (code === 'EBUSY') return false
    throw err
  }
}

/** Remove every node's cgroups (killing what still runs there, also of nodes no state recorded), then the lab's own. */
export async function removeLabCgroups(): Promise<void> {
  for (const root of hierarchies()) {
    const dir = path.join(root, LAB_CGROUP)
    if (!existsSync(dir)) continue
    const nodes = readdirSync(dir, {withFileTypes: true}).filter((entry) => entry.isDirectory())
    for (const node of nodes) await removeNodeCgroups(node.name)
    rmdirSync(dir)
  }
}
