import {existsSync} from 'node:fs'

import {execa} from 'execa'

import {RunError, UsageError} from '../core/errors.js'
import {nodeRunning} from './nodes.js'
import {LAB_SSH_CONFIG} from './paths.js'
import {LAB_NOT_RUNNING} from './reset.js'
import {readState} from './state.js'

/**
 * Open the system ssh to a running node with the lab's ssh_config, the terminal passed through: a login shell when
 * command is empty, else command run by the node's shell (as ssh does). Resolves to ssh's exit code.
 */
export async function labSsh(name: string, command: readonly string[]): Promise<number> {
  const state = readState()
  if (!state || !existsSync(LAB_SSH_CONFIG)) throw new RunError(LAB_NOT_RUNNING)
  const node = state.nodes[name]
  if (!node) {
    const nodes = Object.keys(state.nodes)
    throw new UsageError(
      `${name} is not a node of the running lab`,
      nodes.length ? `nodes: ${nodes.join(', ')}` : undefined,
    )
  }
  if (!nodeRunning(node)) throw new RunError(`${name} is not running`, `goldentooth lab up (or lab reset ${name})`)
  const args = [
    '-F',
    LAB_SSH_CONFIG,
    command.length === 0 ? '-t' : '-T',
    name,
    ...(command.length ? ['--', ...command] : []),
  ]
  const result = await execa('ssh', args, {stdio: 'inherit', reject: false})
  return result.exitCode ?? 255
}
