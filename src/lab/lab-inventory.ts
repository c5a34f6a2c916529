import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'

import {InvalidInputError, UsageError} from '../core/errors.js'
import {packageRoot} from '../core/package-root.js'
import type {Inventory} from '../inventory/model.js'
import {LAB_DEFAULT_INVENTORY} from './help-text.js'
import {writeFileAtomic} from './keys.js'
import {LAB_GENERATED_INVENTORY, LAB_KEY, LAB_KNOWN_HOSTS, LAB_PREFIX, LAB_SOCKET_DIR} from './paths.js'

const MAX_NODES = 50

export interface LabNode {
  name: string
  address: string
}

const HOSTNAME = /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/

/** The inventory's hosts as lab nodes, in inventory order; every host needs a unique ansible_host in 10.77.0.0/24. */
export function labNodes(inventory: Inventory): LabNode[] {
  const nodes: LabNode[] = []
  const byAddress = new Map<string, string>()
  for (const [name, entry] of inventory.hosts) {
    const location = inventory.varLocation(name, 'ansible_host') ?? entry.location
    if (!HOSTNAME.test(name)) {
      throw new InvalidInputError(`host ${name}: a lab node's name must be a valid hostname`, entry.location)
    }
    const address = inventory.hostVars(name).ansible_host
    const octet = typeof address === 'string' && address.startsWith(LAB_PREFIX) ? address.slice(LAB_PREFIX.length) : ''
    if (!/^\d{1,3}$/.test(octet) || Number(octet) < 2 || Number(octet) > 254) {
      throw new InvalidInputError(
        `host ${name}: ansible_host ${String(address)} is not a lab address (${LAB_PREFIX}2 to ${LAB_PREFIX}254)`,
        location,
        'the lab boots only lab inventories such as inventory/lab: goldentooth lab up -i inventory/lab',
      )
    }
    const other = byAddress.get(address as string)
    if (other) throw new InvalidInputError(`host ${name}: ansible_host ${address} is also ${other}'s`, location)
    byAddress.set(address as string, name)
    nodes.push({name, address: address as string})
  }
  if (nodes.length === 0) throw new InvalidInputError(`${inventory.source} has no hosts`)
  return nodes
}

interface Group {
  hosts?: string[]
  children?: Record<string, Group>
}

/** lab1 … labN with their addresses, as labHostsYaml(count) lists them. */
export function layoutNodes(count: number): LabNode[] {
  return Array.from({length: count}, (_, i) => ({name: nodeName(i + 1), address: nodeAddress(i + 1)}))
}

function nodeName(index: number): string {
  return `lab${index}`
}

function nodeAddress(index: number): string {
  return `${LAB_PREFIX}${10 + index}`
}

/**
 * The miniature goldentooth, real group names (goldentooth-anchor.md §3.3): lab1–lab3 are the servers, lab4 the worker
 * that also holds step_ca, zfs and nfs_server, lab5 the GPU-group node (without a GPU); lab6… are plain workers.
 */
function labGroups(count: number): Record<string, Group> {
  const present = (...names: string[]) => names.filter((name) => Number(name.slice(3)) <= count)
  const servers = present('lab1', 'lab2', 'lab3')
  const extras = Array.from({length: Math.max(0, count - 5)}, (_, i) => nodeName(i + 6))
  const workers = [...present('lab4'), ...extras]
  const gpu = present('lab5')
  const special = present('lab4')
  return {
    all_nodes: {children: {all_non_pis: {hosts: Array.from({length: count}, (_, i) => nodeName(i + 1))}}},
    k8s_cluster: {children: {k8s_worker: {children: {k8s_worker_gpu: {hosts: gpu}}}}},
    slurm: {children: {slurm_controller: {hosts: servers}, slurm_compute: {hosts: [...servers, ...workers]}}},
    ray: {children: {ray_worker: {children: {ray_worker_gpu: {hosts: gpu}}}}},
    consul: {children: {consul_server: {hosts: servers}, consul_client: {hosts: [...special, ...gpu, ...extras]}}},
    nomad: {
      children: {
        nomad_server: {hosts: servers},
        nomad_client: {hosts: [...servers, ...workers], children: {nomad_client_gpu: {hosts: gpu}}},
      },
    },
    vault: {hosts: servers},
    step_ca: {hosts: special},
    zfs: {hosts: special},
    nfs_server: {hosts: special},
  }
}

function groupYaml(name: string, group: Group, depth: number, withAddress: boolean): string[] {
  const pad = '  '.repeat(depth)
  const hosts = group.hosts ?? []
  const children = Object.entries(group.children ?? {})
  if (hosts.length === 0 && children.length === 0) return [`${pad}${name}: {}`]
  const lines = [`${pad}${name}:`]
  if (hosts.length > 0) lines.push(`${pad}  hosts:`)
  for (const host of hosts) {
    if (withAddress) lines.push(`${pad}    ${host}:`, `${pad}      ansible_host: ${nodeAddress(Number(host.slice(3)))}`)
    else lines.push(`${pad}    ${host}:`)
  }
  if (children.length > 0) lines.push(`${pad}  children:`)
  for (const [child, sub] of children) lines.push(...groupYaml(child, sub, depth + 2, child === 'all_non_pis'))
  return lines
}

export function labHostsYaml(count: number): string {
  const header = [
    '# The lab: a miniature goldentooth with the real group names, booted by `goldentooth lab up`.',
    '# lab1-lab3 are the servers, lab4 the worker with step_ca, zfs and nfs_server, lab5 the node in the GPU groups',
    '# (it has no GPU). Every node is an amd64 systemd-nspawn container reached through its socket in the lab.',
  ]
  const groups = Object.entries(labGroups(count)).flatMap(([name, group]) => groupYaml(name, group, 2, false))
  return [...header, 'all:', '  children:', ...groups, ''].join('\n')
}

export function labGroupVarsYaml(): string {
  return [
    '# How goldentooth, Ansible, pssh and GNU parallel + ssh reach lab nodes: through the per-node UNIX socket that',
    '# `goldentooth lab up` serves from inside the lab network namespace (nothing routes to 10.77.0.0/24 outside it).',
    'ansible_user: root',
    'ansible_python_interpreter: /usr/bin/python3',
    'goldentooth_lab: true',
    `ansible_ssh_private_key_file: ${LAB_KEY}`,
    `goldentooth_ssh_socket: ${LAB_SOCKET_DIR}/%h.sock`,
    'ansible_ssh_common_args: >-',
    `  -o UserKnownHostsFile=${LAB_KNOWN_HOSTS}`,
    `  -o ProxyCommand="socat - UNIX-CONNECT:${LAB_SOCKET_DIR}/%h.sock"`,
    '',
    '# step-ca and step are release binaries that cannot be downloaded here: SSH certificates in the lab come from the',
    "# operator's own OpenSSH CA (ssh-keygen -s, keys in the state dir) instead of step-ca's SSH CA.",
    'ssh_certificates:',
    '  ca: openssh',
    '',
    '# Services the lab cannot run (no release binaries, no kernel nfsd/ZFS, no GPU): `goldentooth test` reports these',
    '# suites as skipped here instead of failing every check.',
    'health_skip_suites: [step_ca, consul, vault, nomad, nfs, zfs, seaweedfs, gpu]',
    '',
  ].join('\n')
}

export function checkNodeCount(count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > MAX_NODES) {
    throw new UsageError(`--nodes must be between 1 and ${MAX_NODES}, not ${count}`)
  }
}

/**
 * Write the lab inventory for `count` nodes to /run/goldentooth/lab/inventory: hosts.yaml and group_vars/all.yaml
 * generated, the other group_vars as inventory/lab has them (Slurm's, NFS's, ZFS's settings for the lab).
 */
export function writeGeneratedInventory(count: number, dir = LAB_GENERATED_INVENTORY): void {
  writeFileAtomic(path.join(dir, 'hosts.yaml'), labHostsYaml(count))
  writeFileAtomic(path.join(dir, 'group_vars', 'all.yaml'), labGroupVarsYaml())
  const shipped = path.join(packageRoot(), LAB_DEFAULT_INVENTORY, 'group_vars')
  for (const file of readdirSync(shipped).filter((name) => name !== 'all.yaml')) {
    writeFileAtomic(path.join(dir, 'group_vars', file), readFileSync(path.join(shipped, file), 'utf8'))
  }
}
