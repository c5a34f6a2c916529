import {RunError, UsageError} from '../core/errors.js'
import {withLock} from '../state/lock.js'
import {ensureLabKey, operatorPublicKeys} from './keys.js'
import {hostDebianMirrors} from './mirror.js'
import {namespaceExists} from './network.js'
import type {BootFailure, NodeStatus} from './nodes.js'
import {bootNodes, destroyNode, nodeStatus, publishAccess} from './nodes.js'
import {LAB_LOCK} from './paths.js'
import {checkPrerequisites} from './prerequisites.js'
import {readState} from './state.js'

export const LAB_NOT_RUNNING = 'the lab is not running: goldentooth lab up'

export interface LabResetReport {
  node: NodeStatus
  failed: BootFailure[]
  seconds: number
}

/** Stop one node, throw its writes away (back to the clean base, new host key) and boot it again. */
export async function labReset(name: string, progress: (line: string) => void): Promise<LabResetReport> {
  checkPrerequisites()
  return withLock(LAB_LOCK, 'lab reset', async () => {
    const started = Date.now()
    const state = readState()
    if (!state || !namespaceExists()) throw new RunError(LAB_NOT_RUNNING)
    const node = state.nodes[name]
    if (!node) {
      throw new UsageError(`${name} is not a node of the running lab`, `nodes: ${Object.keys(state.nodes).join(', ')}`)
    }
    const {address, base} = node
    progress(`resetting ${name}`)
    await destroyNode(state, name)
    const failed = await bootNodes(state, [{name, address}], {
      base,
      authorizedKeys: [await ensureLabKey(), ...operatorPublicKeys()],
      mirrors: hostDebianMirrors(),
      bootTimeoutMs: 60_000,
    })
    publishAccess(state)
    return {node: nodeStatus(name, address, state.nodes[name]), failed, seconds: (Date.now() - started) / 1000}
  })
}
