import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {execa} from 'execa'

import {RunError} from '../core/errors.js'
import {consoleTail} from './console.js'
import {run} from './exec.js'
import type {DebianMirrors} from './mirror.js'
import {SUITE} from './mirror.js'
import {unmountAll} from './mounts.js'
import {APT_PROXY_PORT, BRIDGE_ADDRESS, ROOTFS_DIR} from './paths.js'

/**
 * Packages of every node. Ansible needs python3 (and python3-apt for its apt module); sudo serves ansible_become;
 * apt-utils lets debconf configure packages quietly; curl is what health checks and roles reach HTTP endpoints with.
 */
const ROOTFS_PACKAGES = [
  'systemd',
  'systemd-sysv',
  'dbus',
  'openssh-server',
  'iproute2',
  'python3',
  'python3-apt',
  'procps',
  'ca-certificates',
  'kmod',
  'iputils-ping',
  'netbase',
  'sudo',
  'apt-utils',
  'curl',
]

/** Files every node shares, written into the base after debootstrap. */
const BASE_FILES: Record<string, string> = {
  'etc/apt/apt.conf.d/01goldentooth-lab': [
    `Acquire::http::Proxy "http://${BRIDGE_ADDRESS}:${APT_PROXY_PORT}";`,
    'APT::Keep-Downloaded-Packages "false";',
    '',
  ].join('\n'),
  'etc/ssh/sshd_config.d/goldentooth-lab.conf': 'HostKey /etc/ssh/ssh_host_ed25519_key\n',
  'etc/systemd/journald.conf.d/goldentooth-lab.conf': '[Journal]\nRuntimeMaxUse=16M\nSystemMaxUse=32M\n',
  'etc/resolv.conf': '# The lab has no DNS server: nodes know each other through /etc/hosts.\nnameserver 127.0.0.1\n',
  'etc/machine-id': '',
}

const ENABLE_UNITS = ['systemd-networkd.service']
/** No console login (nodes are reached over SSH); no apt timers racing a role's apt-get for the dpkg lock. */
const MASK_UNITS = ['console-getty.service', 'apt-daily.timer', 'apt-daily-upgrade.timer']

/** Everything the base depends on: a change to any of it builds a new base. */
function rootfsKey(): string {
  const recipe = JSON.stringify({suite: SUITE, packages: ROOTFS_PACKAGES, BASE_FILES, ENABLE_UNITS, MASK_UNITS})
  return createHash('sha256').update(recipe).digest('hex').slice(0, 16)
}

export interface Rootfs {
  key: string
  /** The directory nodes use as their overlay's lower layer. */
  root: string
  built: boolean
  seconds: number
}

function rootfsRoot(key: string): string {
  return path.join(ROOTFS_DIR, key, 'root')
}

/** Remove unfinished builds (a crashed or interrupted debootstrap) and bases nothing uses any more. */
async function pruneRootfs(keep: ReadonlySet<string>): Promise<void> {
  let entries: string[] = []
  try {
    entries = readdirSync(ROOTFS_DIR)
  } catch {
    return
  }
  for (const entry of entries) {
    if (keep.has(entry)) continue
    const dir = path.join(ROOTFS_DIR, entry)
    await unmountAll(dir)
    rmSync(dir, {recursive: true, force: true})
  }
}

async function customizeBase(root: string): Promise<void> {
  for (const file of readdirSync(path.join(root, 'etc/ssh')).filter((name) => name.startsWith('ssh_host_'))) {
    rmSync(path.join(root, 'etc/ssh', file))
  }
  for (const [file, content] of Object.entries(BASE_FILES)) {
    mkdirSync(path.dirname(path.join(root, file)), {recursive: true})
    writeFileSync(path.join(root, file), content)
  }
  rmSync(path.join(root, 'etc/hostname'), {force: true})
  rmSync(path.join(root, 'var/lib/dbus/machine-id'), {force: true})
  symlinkSync('/etc/machine-id', path.join(root, 'var/lib/dbus/machine-id'))
  for (const deb of readdirSync(path.join(root, 'var/cache/apt/archives')).filter((name) => name.endsWith('.deb'))) {
    rmSync(path.join(root, 'var/cache/apt/archives', deb))
  }
  await run('systemctl', [`--root=${root}`, 'enable', ...ENABLE_UNITS])
  await run('systemctl', [`--root=${root}`, 'mask', ...MASK_UNITS])
}

/**
 * The Debian base every node's overlay sits on, built once per recipe with debootstrap into a temporary directory that
 * is renamed into place only when complete, so an interrupted build is never used. Call with the lab lock held.
 * `inUse` are bases that running nodes still sit on; other bases are removed.
 */
export async function ensureRootfs(
  mirrors: DebianMirrors,
  inUse: ReadonlySet<string>,
  progress: (line: string) => void,
): Promise<Rootfs> {
  const key = rootfsKey()
  const keep = new Set([key, ...[...inUse].map((root) => path.basename(path.dirname(root)))])
  await pruneRootfs(keep)
  if (existsSync(rootfsRoot(key))) return {key, root: rootfsRoot(key), built: false, seconds: 0}

  const started = Date.now()
  const build = path.join(ROOTFS_DIR, `.build-${key}`)
  mkdirSync(build, {recursive: true})
  const log = path.join(build, 'debootstrap.log')
  progress(`building the Debian ${SUITE} base from ${mirrors.mirror} (once; about a minute; log: ${log})`)
  const args = [
    '--variant=minbase',
    `--include=${ROOTFS_PACKAGES.join(',')}`,
    SUITE,
    path.join(build, 'root'),
    mirrors.mirror,
  ]
  writeFileSync(log, '')
  const output = {file: log, append: true}
  const result = await execa('debootstrap', args, {reject: false, stdin: 'ignore', stdout: output, stderr: output})
  if (result.failed) {
    await unmountAll(build)
    throw new RunError(
      `debootstrap of the lab's Debian base failed: ${consoleTail(log, 1).join('') || result.shortMessage}`,
      `see ${log}`,
    )
  }
  await customizeBase(path.join(build, 'root'))
  writeFileSync(
    path.join(build, 'manifest.json'),
    `${JSON.stringify({key, suite: SUITE, mirror: mirrors.mirror, packages: ROOTFS_PACKAGES, builtAt: new Date()}, null, 2)}\n`,
  )
  renameSync(build, path.join(ROOTFS_DIR, key))
  return {key, root: rootfsRoot(key), built: true, seconds: (Date.now() - started) / 1000}
}
