import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {stringify} from 'yaml'

import {loadInventory} from '../../src/inventory/load.js'
import {ConnectError} from '../../src/transport/errors.js'
import {resolveTargets} from '../../src/transport/targets.js'
import type {SshTarget} from '../../src/transport/types.js'
import type {Fleet} from './sshd.js'

let written = 0

/**
 * Resolve one fleet host the way a run does (inventory file, loadInventory, resolveTargets with the fleet's
 * ssh_config), with some inventory variables changed.
 */
export async function fleetTarget(fleet: Fleet, name: string, vars: Record<string, unknown> = {}): Promise<SshTarget> {
  const hostVars = fleet.hostVars[name]
  if (!hostVars) throw new Error(`no fleet host ${name}`)
  const file = join(fleet.dir, `inventory-${name}-${++written}.yaml`)
  await writeFile(file, stringify({all: {hosts: {[name]: {...hostVars, ...vars}}}}))
  const target = (await resolveTargets(await loadInventory(file), [name], {sshConfigFile: fleet.sshConfigPath})).get(
    name,
  )
  if (target === undefined || target instanceof ConnectError) throw target ?? new Error(`${name} did not resolve`)
  return target
}
