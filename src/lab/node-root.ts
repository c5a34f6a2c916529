import {randomBytes} from 'node:crypto'
import {chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {run} from './exec.js'
import type {LabNode} from './lab-inventory.js'
import type {DebianMirrors} from './mirror.js'
import {SUITE} from './mirror.js'
import {isMountPoint, mount, unmountAll} from './mounts.js'
import {nodePaths} from './paths.js'

/** Upper bound of a node's own disk (a tmpfs holding its overlay's upper layer): a full node never fills the host. */
const NODE_DISK_SIZE = '2g'

/** Mount a fresh node root: a size-bounded tmpfs for the upper layer and an overlay over the read-only base. */
export async function mountNodeRoot(name: string, base: string): Promise<void> {
  const paths = nodePaths(name)
  mkdirSync(paths.disk, {recursive: true})
  mkdirSync(paths.root, {recursive: true})
  if (!isMountPoint(paths.disk)) await mount('tmpfs', 'tmpfs', paths.disk, `size=${NODE_DISK_SIZE},mode=0755`)
  mkdirSync(paths.upper, {recursive: true})
  mkdirSync(paths.work, {recursive: true})
  if (!isMountPoint(paths.root)) {
    await mount('overlay', 'overlay', paths.root, `lowerdir=${base},upperdir=${paths.upper},workdir=${paths.work}`)
  }
}

/** Unmount the node's overlay and tmpfs (its writes are gone) and remove its runtime directory. */
export async function removeNodeRoot(name: string): Promise<void> {
  const paths = nodePaths(name)
  await unmountAll(paths.dir)
  rmSync(paths.dir, {recursive: true, force: true})
}

function write(root: string, file: string, content: string, mode = 0o644): void {
  const target = path.join(root, file)
  mkdirSync(path.dirname(target), {recursive: true})
  writeFileSync(target, content, {mode})
  chmodSync(target, mode)
}

function networkUnit(address: string): string {
  return [
    '[Match]',
    'Name=host0',
    '',
    '[Network]',
    `Address=${address}/24`,
    'LinkLocalAddressing=no',
    'IPv6AcceptRA=no',
    '',
  ].join('\n')
}

/**
 * Give a freshly mounted node its identity: hostname, /etc/hosts, its address on host0 (a network file that sorts
 * before systemd's 80-container-host0.network), apt sources, a machine id, its own sshd host key and root's
 * authorized_keys. Returns the host public key (`ssh-ed25519 AAAA…`).
 */
export async function configureNodeRoot(
  node: LabNode,
  authorizedKeys: readonly string[],
  mirrors: DebianMirrors,
): Promise<string> {
  const root = nodePaths(node.name).root
  write(root, 'etc/hostname', `${node.name}\n`)
  write(
    root,
    'etc/hosts',
    `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n${node.address}\t${node.name}\n`,
  )
  write(root, 'etc/machine-id', `${randomBytes(16).toString('hex')}\n`, 0o444)
  write(root, 'etc/systemd/network/10-goldentooth-lab.network', networkUnit(node.address))
  write(
    root,
    'etc/apt/sources.list',
    [
      `deb ${mirrors.mirror} ${SUITE} main`,
      `deb ${mirrors.mirror} ${SUITE}-updates main`,
      `deb ${mirrors.security} ${SUITE}-security main`,
      '',
    ].join('\n'),
  )
  mkdirSync(path.join(root, 'root/.ssh'), {recursive: true, mode: 0o700})
  chmodSync(path.join(root, 'root/.ssh'), 0o700)
  write(root, 'root/.ssh/authorized_keys', `${[...new Set(authorizedKeys)].join('\n')}\n`, 0o600)
  const hostKey = path.join(root, 'etc/ssh/ssh_host_ed25519_key')
  rmSync(hostKey, {force: true})
  rmSync(`${hostKey}.pub`, {force: true})
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `root@${node.name}`, '-f', hostKey])
  return readFileSync(`${hostKey}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ')
}
