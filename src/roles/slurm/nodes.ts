import type {Facts} from '../../engine/facts.js'
import type {Inventory} from '../../inventory/model.js'

import {InvalidInputError} from '../../core/errors.js'
import {gpuProfile} from '../gpu/profile.js'
import {hostAddress} from '../vars.js'

/** One `NodeName=` line of slurm.conf, from what the node itself reports. */
export interface SlurmNode {
  address: string
  coresPerSocket: number
  /** CPUs = Sockets × CoresPerSocket × ThreadsPerCore, as slurmd -C counts them. */
  cpus: number
  devices: string[]
  gres?: string
  name: string
  realMemory: number
  sockets: number
  threadsPerCore: number
}

/** MemTotal in MB less a margin: never more than slurmd reports, so the node cannot go `inval` for memory. */
export function realMemory(memoryMb: number, marginPercent: number): number {
  return Math.floor((memoryMb * (100 - marginPercent)) / 100)
}

export function addressOf(inventory: Inventory, host: string): string {
  const address = hostAddress(inventory.hostVars(host))
  if (!address) {
    throw new InvalidInputError(`${host} has no ipv4_address or ansible_host: slurm.conf needs every node's address`)
  }
  return address
}

export function slurmNode(inventory: Inventory, host: string, facts: Facts, marginPercent: number): SlurmNode {
  const profile = gpuProfile(inventory, host, facts)
  return {
    address: addressOf(inventory, host),
    coresPerSocket: facts.coresPerSocket,
    cpus: facts.sockets * facts.coresPerSocket * facts.threadsPerCore,
    devices: profile.devices,
    ...(profile.slurmGres ? {gres: profile.slurmGres} : {}),
    name: host,
    realMemory: realMemory(facts.memoryMb, marginPercent),
    sockets: facts.sockets,
    threadsPerCore: facts.threadsPerCore,
  }
}
