import path from 'node:path'

/** The lab's fixed locations (docs/architecture.md). The static inventory in inventory/lab/ refers to several of them. */
export const LAB_VAR_DIR = '/var/lib/goldentooth/lab'
export const LAB_KEY = `${LAB_VAR_DIR}/id_ed25519`
export const LAB_KNOWN_HOSTS = `${LAB_VAR_DIR}/known_hosts`
export const ROOTFS_DIR = `${LAB_VAR_DIR}/rootfs`
export const LAB_LOCK = `${LAB_VAR_DIR}/lock`
export const APT_CACHE_DIR = '/var/cache/goldentooth/lab/apt-cacher-ng'

export const LAB_RUN_DIR = '/run/goldentooth/lab'
export const LAB_STATE_FILE = `${LAB_RUN_DIR}/state.json`
export const LAB_SSH_CONFIG = `${LAB_RUN_DIR}/ssh_config`
export const LAB_SOCKET_DIR = `${LAB_RUN_DIR}/ssh`
export const LAB_NODES_DIR = `${LAB_RUN_DIR}/nodes`
export const LAB_GENERATED_INVENTORY = `${LAB_RUN_DIR}/inventory`
export const APT_PROXY_DIR = `${LAB_RUN_DIR}/apt-proxy`
export const APT_PROXY_SOCKET = `${APT_PROXY_DIR}/socket`

export const NETNS = 'goldentooth-lab'
export const NETNS_PATH = `/run/netns/${NETNS}`
export const BRIDGE = 'gtlab0'
export const BRIDGE_ADDRESS = '10.77.0.1'
export const LAB_PREFIX = '10.77.0.'
export const APT_PROXY_PORT = 3142

export function sshSocketPath(address: string): string {
  return path.join(LAB_SOCKET_DIR, `${address}.sock`)
}

export interface NodePaths {
  dir: string
  /** tmpfs that bounds the node's disk; holds the overlay's upper and work directories. */
  disk: string
  upper: string
  work: string
  root: string
  console: string
}

export function nodePaths(name: string): NodePaths {
  const dir = path.join(LAB_NODES_DIR, name)
  return {
    dir,
    disk: path.join(dir, 'disk'),
    upper: path.join(dir, 'disk', 'upper'),
    work: path.join(dir, 'disk', 'work'),
    root: path.join(dir, 'root'),
    console: path.join(dir, 'console.log'),
  }
}
