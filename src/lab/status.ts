import type {LabNode} from './lab-inventory.js'
import {namespaceExists} from './network.js'
import type {NodeStatus} from './nodes.js'
import {nodeStatus} from './nodes.js'
import {readState} from './state.js'

export interface LabStatusReport {
  /** The lab's namespace exists and at least one node is running. */
  up: boolean
  nodes: NodeStatus[]
}

/** Every inventory node (and any other node the running lab has) with its state; fine when the lab is down. */
export function labStatus(nodes: readonly LabNode[]): LabStatusReport {
  const state = readState()
  const known = new Set(nodes.map((node) => node.name))
  const extra = Object.values(state?.nodes ?? {}).filter((node) => !known.has(node.name))
  const statuses = [...nodes, ...extra].map((node) => nodeStatus(node.name, node.address, state?.nodes[node.name]))
  return {up: namespaceExists() && statuses.some((node) => node.state === 'running'), nodes: statuses}
}
