import {accessSync, constants, readFileSync} from 'node:fs'
import path from 'node:path'

import {RunError} from '../core/errors.js'

/** Commands the lab runs, with the Debian package that provides each. */
export const LAB_TOOLS: ReadonlyArray<{command: string; package: string}> = [
  {command: 'systemd-nspawn', package: 'systemd-container'},
  {command: 'systemctl', package: 'systemd'},
  {command: 'debootstrap', package: 'debootstrap'},
  {command: 'socat', package: 'socat'},
  {command: 'nsenter', package: 'util-linux'},
  {command: 'ip', package: 'iproute2'},
  {command: 'mount', package: 'mount'},
  {command: 'ssh', package: 'openssh-client'},
  {command: 'ssh-keygen', package: 'openssh-client'},
  {command: 'apt-cacher-ng', package: 'apt-cacher-ng'},
]

export interface HostFacts {
  platform: NodeJS.Platform
  uid: number
  /** The PATH the lab's commands are looked up in. */
  path: string
  /** Contents of /proc/filesystems. */
  filesystems: string
}

function currentHostFacts(): HostFacts {
  const linux = process.platform === 'linux'
  return {
    platform: process.platform,
    uid: process.getuid?.() ?? -1,
    path: process.env.PATH ?? '',
    filesystems: linux ? readFileSync('/proc/filesystems', 'utf8') : '',
  }
}

export function findInPath(command: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(':')) {
    if (!dir) continue
    const candidate = path.join(dir, command)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      continue
    }
  }
  return undefined
}

/** Throws one RunError naming the first thing that stops the lab from running here, with the command that fixes it. */
export function checkPrerequisites(facts: HostFacts = currentHostFacts()): void {
  if (facts.platform !== 'linux') {
    throw new RunError(
      `the lab needs Linux (systemd-nspawn, network namespaces, overlayfs); this machine runs ${facts.platform}`,
      'run goldentooth lab on a Debian or Ubuntu machine or VM',
    )
  }
  if (facts.uid !== 0) {
    throw new RunError(
      `the lab needs root (it mounts overlays, creates a network namespace and boots containers); running as uid ${facts.uid}`,
      'sudo goldentooth lab up',
    )
  }
  const missing = LAB_TOOLS.filter((tool) => !findInPath(tool.command, facts.path))
  if (missing.length > 0) {
    const packages = [...new Set(missing.map((tool) => tool.package))]
    throw new RunError(
      `the lab needs ${missing.map((tool) => tool.command).join(', ')}, not found in PATH`,
      `apt-get install -y ${packages.join(' ')}`,
    )
  }
  if (!/\toverlay$/m.test(facts.filesystems)) {
    throw new RunError('the kernel has no overlay filesystem, which the lab needs for its nodes', 'modprobe overlay')
  }
}
