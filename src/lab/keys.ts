import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import path from 'node:path'

import {run} from './exec.js'
import {LAB_KEY, LAB_KNOWN_HOSTS, LAB_SSH_CONFIG, sshSocketPath} from './paths.js'

export function writeFileAtomic(file: string, content: string, mode = 0o644): void {
  mkdirSync(path.dirname(file), {recursive: true})
  const temp = `${file}.${process.pid}.tmp`
  writeFileSync(temp, content, {mode})
  renameSync(temp, file)
}

/** The lab's own key pair, generated on first use; returns the public key line. */
export async function ensureLabKey(keyFile = LAB_KEY): Promise<string> {
  if (!existsSync(keyFile)) {
    mkdirSync(path.dirname(keyFile), {recursive: true, mode: 0o700})
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'goldentooth-lab', '-f', keyFile])
  }
  return readFileSync(`${keyFile}.pub`, 'utf8').trim()
}

function homeOf(user: string): string | undefined {
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((line) => line.startsWith(`${user}:`))
  return entry?.split(':')[5]
}

/** Public keys in ~/.ssh of the operator (root's home, and under sudo the invoking user's home too). */
export function operatorPublicKeys(env: NodeJS.ProcessEnv = process.env): string[] {
  const homes = new Set([homedir()])
  const sudoHome = env.SUDO_USER ? homeOf(env.SUDO_USER) : undefined
  if (sudoHome) homes.add(sudoHome)
  const keys: string[] = []
  for (const home of homes) {
    const dir = path.join(home, '.ssh')
    let files: string[] = []
    try {
      files = readdirSync(dir).filter((name) => name.endsWith('.pub'))
    } catch {
      continue
    }
    for (const file of files.sort()) {
      const lines = readFileSync(path.join(dir, file), 'utf8').split('\n')
      keys.push(...lines.map((line) => line.trim()).filter((line) => /^(ssh|ecdsa|sk)-/.test(line)))
    }
  }
  return keys
}

export interface KnownNode {
  name: string
  address: string
  hostKey: string
}

export function writeKnownHosts(nodes: readonly KnownNode[], file = LAB_KNOWN_HOSTS): void {
  writeFileAtomic(file, nodes.map((node) => `${node.address} ${node.hostKey}\n`).join(''))
}

/** An ssh_config for external tools (ssh -F, Ansible, pssh, GNU parallel): one Host per node, by name and address. */
function sshConfigText(nodes: readonly KnownNode[]): string {
  const blocks = nodes.map((node) =>
    [
      `Host ${node.name} ${node.address}`,
      `  HostName ${node.address}`,
      '  User root',
      `  IdentityFile ${LAB_KEY}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${LAB_KNOWN_HOSTS}`,
      '  StrictHostKeyChecking yes',
      `  ProxyCommand socat - UNIX-CONNECT:${sshSocketPath('%h')}`,
      '',
    ].join('\n'),
  )
  return `# Written by goldentooth lab up: the running lab nodes.\n\n${blocks.join('\n')}`
}

export function writeSshConfig(nodes: readonly KnownNode[], file = LAB_SSH_CONFIG): void {
  writeFileAtomic(file, sshConfigText(nodes))
}
