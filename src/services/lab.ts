import {readLabInventory} from '../lab/read-inventory.js'
import {labSsh} from '../lab/ssh.js'
import {labStatus, type LabStatusReport} from '../lab/status.js'
import {labUp, type LabUpReport} from '../lab/up.js'

export {labDown as stopLab} from '../lab/down.js'
export {labReset as resetLabNode} from '../lab/reset.js'

export interface StartLabOptions {
  /** The lab inventory whose hosts become nodes. */
  inventory: string
  /** A generated lab of this many nodes instead (its inventory is written for other commands). */
  nodes?: number | undefined
  /** What the lab is doing, line by line, while it boots. */
  progress: (line: string) => void
}

/** lab up: boot every node the lab inventory names that is not running yet. */
export async function startLab(options: StartLabOptions): Promise<LabUpReport> {
  const inventory = await readLabInventory(options.inventory, options.nodes)
  return labUp(inventory.nodes, {
    inventory: inventory.path,
    progress: options.progress,
    ...(inventory.write ? {writeInventory: inventory.write} : {}),
  })
}

/** lab status: every node of the lab inventory (and any other the running lab has) with its state. */
export async function labStatusOf(inventoryPath: string): Promise<LabStatusReport> {
  return labStatus((await readLabInventory(inventoryPath)).nodes)
}

/** lab ssh: what the system ssh to the node exited with. */
export async function sshToLabNode(node: string, command: readonly string[]): Promise<{sshExitCode: number}> {
  return {sshExitCode: await labSsh(node, command)}
}
