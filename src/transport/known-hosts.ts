import {createHash, createHmac} from 'node:crypto'
import {readFile} from 'node:fs/promises'

import {readSshString} from './ssh-wire.js'

/** One usable line of a known_hosts file (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"). */
export interface KnownHostsEntry {
  file: string
  line: number
  marker?: 'cert-authority' | 'revoked'
  /** The host field as written: a comma list of patterns, or one hashed name `|1|salt|hash`. */
  hosts: string
  keyType: string
  /** The public key blob (for @cert-authority lines, the CA's key). */
  key: Buffer
}

export type HostKeyVerdict =
  | {status: 'known'; entry: KnownHostsEntry}
  /** No plain key matches, but CAs are trusted for the name: the host must prove a certificate from one of them. */
  | {status: 'certificate-required'; authorities: KnownHostsEntry[]}
  | {status: 'unknown'}
  | {status: 'changed'; entries: KnownHostsEntry[]}
  | {status: 'revoked'; entry: KnownHostsEntry}

export function parseKnownHosts(text: string, file: string): KnownHostsEntry[] {
  const entries: KnownHostsEntry[] = []
  text.split('\n').forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/)
    if (fields[0] === '' || fields[0]?.startsWith('#')) return
    let marker: KnownHostsEntry['marker']
    if (fields[0]?.startsWith('@')) {
      const name = fields.shift()
      if (name !== '@cert-authority' && name !== '@revoked') return
      marker = name === '@revoked' ? 'revoked' : 'cert-authority'
    }
    const [hosts, keyType, base64] = fields
    if (!hosts || !keyType || !base64) return
    const key = Buffer.from(base64, 'base64')
    if (blobKeyType(key) !== keyType) return
    entries.push({file, line: index + 1, ...(marker ? {marker} : {}), hosts, keyType, key})
  })
  return entries
}

/** Read every file that exists, in order (user files first, as ssh -G lists them). */
export async function loadKnownHosts(files: readonly string[]): Promise<KnownHostsEntry[]> {
  const texts = await Promise.all(
    files.map((file) =>
      readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return ''
        throw err
      }),
    ),
  )
  return texts.flatMap((text, i) => parseKnownHosts(text, files[i] as string))
}

/** OpenSSH's match_pattern(): `*` and `?` wildcards, case-insensitive. */
export function matchPattern(name: string, pattern: string): boolean {
  const source = pattern
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${source}$`, 's').test(name.toLowerCase())
}

/** Does the entry's host field name this host? Hashed names, comma lists, wildcards and `!` negation. */
export function entryMatches(entry: KnownHostsEntry, name: string): boolean {
  if (entry.hosts.startsWith('|1|')) {
    const [, , salt, hash] = entry.hosts.split('|')
    if (!salt || !hash) return false
    const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name.toLowerCase()).digest()
    return digest.equals(Buffer.from(hash, 'base64'))
  }
  let matched = false
  for (const pattern of entry.hosts.split(',')) {
    if (pattern.startsWith('!')) {
      if (matchPattern(name, pattern.slice(1))) return false
    } else if (matchPattern(name, pattern)) matched = true
  }
  return matched
}

/** Decide what the known_hosts files say about the key a server presented under `name`. */
export function checkHostKey(entries: readonly KnownHostsEntry[], name: string, key: Buffer): HostKeyVerdict {
  const forHost = entries.filter((entry) => entryMatches(entry, name))
  const revoked = forHost.find((entry) => entry.marker === 'revoked' && entry.key.equals(key))
  if (revoked) return {status: 'revoked', entry: revoked}
  const plain = forHost.filter((entry) => entry.marker === undefined)
  const known = plain.find((entry) => entry.key.equals(key))
  if (known) return {status: 'known', entry: known}
  const authorities = forHost.filter((entry) => entry.marker === 'cert-authority')
  if (authorities.length > 0) return {status: 'certificate-required', authorities}
  if (plain.length > 0) return {status: 'changed', entries: plain}
  return {status: 'unknown'}
}

/** Keys marked @revoked for this name: neither a host key nor a CA key may be one of them. */
export function revokedKeys(entries: readonly KnownHostsEntry[], name: string): Buffer[] {
  return entries.filter((entry) => entry.marker === 'revoked' && entryMatches(entry, name)).map((entry) => entry.key)
}

const DEFAULT_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
] as const

export type HostKeyAlgorithm = (typeof DEFAULT_HOST_KEY_ALGORITHMS)[number]

/**
 * Host key algorithms to offer, those of keys already known for the name first, so that a server with several host
 * keys presents one we can check (what OpenSSH does).
 */
export function hostKeyAlgorithms(entries: readonly KnownHostsEntry[], name: string): HostKeyAlgorithm[] {
  const known = new Set<HostKeyAlgorithm>()
  for (const entry of entries) {
    if (entry.marker !== undefined || !entryMatches(entry, name)) continue
    for (const algorithm of entry.keyType === 'ssh-rsa' ? (['rsa-sha2-512', 'rsa-sha2-256'] as const) : [entry.keyType])
      if ((DEFAULT_HOST_KEY_ALGORITHMS as readonly string[]).includes(algorithm))
        known.add(algorithm as HostKeyAlgorithm)
  }
  return [...known, ...DEFAULT_HOST_KEY_ALGORITHMS.filter((algorithm) => !known.has(algorithm))]
}

/** The key type a public key blob declares (its first string). */
export function blobKeyType(blob: Buffer): string | undefined {
  return readSshString(blob, 0)?.value.toString('latin1')
}

/** `SHA256:…` as ssh-keygen -l prints it. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`
}
