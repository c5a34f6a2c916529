import {execa} from 'execa'
import {cp, readdir, rm} from 'node:fs/promises'
import path from 'node:path'

import type {Cli} from './cli.js'

import {loadInventory} from '../src/inventory/load.js'

/** Where `lab up --nodes N` writes the inventory and ssh_config of the running lab. */
export const LAB_INVENTORY = '/run/goldentooth/lab/inventory'
export const LAB_SSH_CONFIG = '/run/goldentooth/lab/ssh_config'
export const LAB_LOCK = '/tmp/gt-lab.lock'

/** The lab is shared: a bench run holds the lock for all of its time (npm run bench takes it with flock). */
export async function assertLabLockHeld(): Promise<void> {
  const free = await execa('flock', ['-n', LAB_LOCK, 'true'], {reject: false})
  if (free.exitCode === 0) {
    throw new Error(`${LAB_LOCK} is not held: run the bench through \`npm run bench\` (it holds the lab lock)`)
  }
}

/** A fresh lab of `nodes` nodes: everything from an earlier run thrown away first. */
export async function freshLab(cli: Cli, nodes: number): Promise<{ms: number}> {
  await execa('bash', ['-c', `${cli.command} lab down`])
  const started = performance.now()
  await execa('bash', ['-c', `${cli.command} lab up --nodes ${nodes}`])
  return {ms: performance.now() - started}
}

/** Leave the default five-node lab the lab tests expect. */
export async function defaultLab(cli: Cli): Promise<void> {
  await execa('bash', ['-c', `${cli.command} lab down && ${cli.command} lab up`])
}

/**
 * The inventory every tool uses: the one `lab up --nodes N` writes, plus the group_vars of inventory/lab it leaves out
 * (`lab up --nodes` writes only group_vars/all.yaml, so slurm.yaml's proctrack/linuxproc, which slurmd needs in a
 * container, would be missing and slurmd would fail to start on every node).
 */
export async function benchInventory(cli: Cli): Promise<string> {
  const inventory = path.join(cli.work, 'inventory')
  await rm(inventory, {force: true, recursive: true})
  await cp(LAB_INVENTORY, inventory, {recursive: true})
  const shipped = path.join(cli.dir, 'inventory/lab/group_vars')
  const present = new Set(await readdir(path.join(inventory, 'group_vars')))
  for (const file of await readdir(shipped)) {
    if (!present.has(file)) await cp(path.join(shipped, file), path.join(inventory, 'group_vars', file))
  }
  return inventory
}

export async function inventoryHosts(inventory: string): Promise<string[]> {
  return (await loadInventory(inventory)).groupHosts('all')
}
