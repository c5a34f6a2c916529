import {createHash} from 'node:crypto'
import {lookup} from 'node:dns/promises'
import {existsSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {BlockList, isIP} from 'node:net'
import os from 'node:os'
import path from 'node:path'

import {GoldentoothError, RunError, UsageError} from '../core/errors.js'
import {writeFileAtomically} from '../state/atomic-write.js'

/** A vendor release file, verified against the vendor's published SHA256SUMS before anything uses it. */
export interface ArtifactSpec {
  /** The checksum file's algorithm (default sha256); some vendors publish only an MD5 sidecar (SeaweedFS). */
  digest?: 'md5' | 'sha256'
  /** The release file name, e.g. consul_1.20.1_linux_arm64.zip. */
  file: string
  /** What it is, for messages: `consul 1.20.1 (arm64)`. */
  label: string
  /** The vendor's checksum file name, e.g. consul_1.20.1_SHA256SUMS. */
  sumsFile: string
  sumsUrl: string
  url: string
}

export interface ResolvedArtifact {
  path: string
  sha256: string
}

export function artifactCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache')
  return path.join(base, 'goldentooth', 'artifacts')
}

function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex')
}

/** The checksum a sums file gives for `file`: its `HASH  NAME` line, or a sidecar's lone hash. */
export function expectedChecksum(sums: string, file: string): string | undefined {
  const lines = sums
    .split('\n')
    .map((line) => line.trim().split(/\s+\*?/))
    .filter((fields) => fields[0] !== '')
  if (lines.length === 1 && lines[0]!.length === 1) return lines[0]![0]!.toLowerCase()
  return lines.find(([, name]) => name === file || name?.endsWith(`/${file}`))?.[0]?.toLowerCase()
}

/** GOLDENTOOTH_RELEASE_MIRROR, when set: a base URL that replaces every vendor's (see mirrored). */
function releaseMirror(): URL | undefined {
  const setting = process.env.GOLDENTOOTH_RELEASE_MIRROR
  if (!setting) return undefined
  const mirror = URL.canParse(setting) ? new URL(setting) : undefined
  if (mirror?.protocol !== 'http:' && mirror?.protocol !== 'https:')
    throw new UsageError(
      `GOLDENTOOTH_RELEASE_MIRROR is not an http or https URL: ${setting}`,
      'e.g. GOLDENTOOTH_RELEASE_MIRROR=http://10.4.0.1:8080/releases',
    )
  return mirror
}

/**
 * The vendor URL's host and path under the mirror: `https://releases.hashicorp.com/consul/1.20.5/x.zip` is fetched as
 * `MIRROR/releases.hashicorp.com/consul/1.20.5/x.zip`, the layout `wget -x URL` saves.
 */
function mirrored(url: string, mirror: URL): string {
  const {host, pathname} = new URL(url)
  return `${mirror.href.replace(/\/+$/, '')}/${host}${pathname}`
}

const LOCAL_ADDRESSES = new BlockList()
for (const network of [
  '127.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '169.254.0.0/16',
  '100.64.0.0/10',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
]) {
  const [address, prefix] = network.split('/') as [string, string]
  LOCAL_ADDRESSES.addSubnet(address, Number(prefix), address.includes(':') ? 'ipv6' : 'ipv4')
}

/** Every address the mirror's host name resolves to is loopback, private (RFC 1918, ULA), link-local or CGNAT. */
async function isLocal(mirror: URL): Promise<boolean> {
  const host = mirror.hostname.replace(/^\[|\]$/g, '')
  const addresses = isIP(host) ? [{address: host, family: isIP(host)}] : await lookup(host, {all: true}).catch(() => [])
  return (
    addresses.length > 0 &&
    addresses.every(({address, family}) => LOCAL_ADDRESSES.check(address, family === 6 ? 'ipv6' : 'ipv4'))
  )
}

interface Obtained {
  content: Buffer
  /** The local file it was read from, or undefined when it was downloaded (and is not cached yet). */
  file?: string
  /** The file, or the URL it was downloaded from. */
  from: string
}

/**
 * From the vendor's site, or the release mirror. GOLDENTOOTH_OFFLINE=1 (air-gapped operators, and tests that must not
 * reach the internet): nothing is downloaded, except from a mirror on a loopback or private address.
 */
async function download(url: string): Promise<Obtained> {
  const mirror = releaseMirror()
  const source = mirror ? mirrored(url, mirror) : url
  if (process.env.GOLDENTOOTH_OFFLINE) {
    if (!mirror) throw new Error('not downloaded: GOLDENTOOTH_OFFLINE is set')
    if (!(await isLocal(mirror)))
      throw new Error(
        `not downloaded: GOLDENTOOTH_OFFLINE is set and ${mirror.host} is not a loopback or private address`,
      )
  }
  let response: Response
  try {
    response = await fetch(source, {signal: AbortSignal.timeout(120_000)})
  } catch (error) {
    const cause = (error as Error).cause
    throw new Error(`${source}: ${cause instanceof Error ? cause.message : (error as Error).message}`)
  }
  if (!response.ok) throw new Error(`${source}: HTTP ${response.status}`)
  return {content: Buffer.from(await response.arrayBuffer()), from: source}
}

/** `--artifacts DIR` first, then the cache, then a download. Not verified, not cached. */
async function obtain(
  name: string,
  url: string,
  options: {artifactsDir?: string | undefined; cacheDir: string},
): Promise<Obtained> {
  for (const dir of [options.artifactsDir, options.cacheDir]) {
    const file = dir && path.join(dir, name)
    if (file && existsSync(file)) return {content: await readFile(file), file, from: file}
  }
  return download(url)
}

const CACHE_ELSEWHERE = 'or set XDG_CACHE_HOME to a writable directory'

/** Keep a verified download in the cache, so the next run finds it there. */
function cacheDownload(name: string, obtained: Obtained, cacheDir: string): void {
  if (obtained.file === undefined)
    writeFileAtomically(path.join(cacheDir, name), obtained.content, {directoryMode: 0o755, elsewhere: CACHE_ELSEWHERE})
}

/**
 * The release file, verified: found in --artifacts DIR or the cache, or downloaded and, once verified, kept in the
 * cache. A file that cannot be found, or whose checksum does not match the vendor's SHA256SUMS, is an error naming
 * it; nothing has changed on any host when it is thrown.
 */
export async function resolveArtifact(
  spec: ArtifactSpec,
  options: {artifactsDir?: string | undefined; cacheDir: string},
): Promise<{content: Buffer; sha256: string}> {
  let sums: Obtained
  let release: Obtained
  try {
    ;[sums, release] = await Promise.all([
      obtain(spec.sumsFile, spec.sumsUrl, options),
      obtain(spec.file, spec.url, options),
    ])
  } catch (error) {
    if (error instanceof GoldentoothError) throw error
    const where = options.artifactsDir ? `--artifacts ${options.artifactsDir}` : 'an --artifacts directory'
    throw new RunError(
      `missing artifact: ${spec.label}: ${spec.file} (and ${spec.sumsFile}) could not be found or downloaded (${(error as Error).message})`,
      `download ${spec.url} and ${spec.sumsUrl} on a machine with internet, put both in ${where}, and run again`,
    )
  }
  const expected = expectedChecksum(sums.content.toString('utf8'), spec.file)
  if (!expected) throw new RunError(`${sums.from} has no checksum for ${spec.file}`)
  const digest = spec.digest ?? 'sha256'
  const actual = createHash(digest).update(release.content).digest('hex')
  if (actual !== expected) {
    const local = [release.file, sums.file].filter((file) => file !== undefined)
    throw new RunError(
      `checksum mismatch for ${spec.file}: expected ${digest} ${expected} (from ${sums.from}), ` +
        `got ${actual} (${release.from})`,
      local.length > 0
        ? `delete ${local.join(' and ')} and run again to download the vendor's files`
        : "check that the mirror or the vendor's site serves the published release, and run again",
    )
  }
  cacheDownload(spec.sumsFile, sums, options.cacheDir)
  cacheDownload(spec.file, release, options.cacheDir)
  return {content: release.content, sha256: sha256(release.content)}
}

/** Store a file derived from an artifact (a binary unpacked from its archive) in the cache, by content. */
export async function cacheDerived(
  content: Buffer,
  options: {cacheDir: string; name: string},
): Promise<ResolvedArtifact> {
  const hash = sha256(content)
  const file = path.join(options.cacheDir, 'derived', hash, options.name)
  if (!existsSync(file))
    writeFileAtomically(file, content, {directoryMode: 0o755, elsewhere: CACHE_ELSEWHERE, mode: 0o755})
  return {path: file, sha256: hash}
}

/** One binary a run needs, inside a vendor's release archive. */
export interface BinaryInRelease {
  /** What to tell the operator to download when the release is missing. */
  hint: string
  /** The binary's file name in the cache. */
  name: string
  spec: ArtifactSpec
  unpack(archive: Buffer): Promise<Buffer>
}

/**
 * Every binary a run needs, by key, each verified against its vendor's checksums and unpacked into the cache. When
 * any release is missing, one error names them all, before anything has changed on any host; `otherwise` says what
 * the operator can do instead. Under --check nothing is cached: the result only carries each binary's SHA-256.
 */
export async function binariesFromReleases(
  binaries: ReadonlyMap<string, BinaryInRelease>,
  context: {artifactsDir?: string | undefined; cacheDir: string; check: boolean},
  otherwise: string,
): Promise<Map<string, ResolvedArtifact>> {
  const resolved = new Map<string, ResolvedArtifact>()
  const missing: string[] = []
  const hints = new Set<string>()
  for (const [key, {hint, name, spec, unpack}] of binaries) {
    let archive: Buffer
    try {
      archive = (await resolveArtifact(spec, {artifactsDir: context.artifactsDir, cacheDir: context.cacheDir})).content
    } catch (error) {
      if (!(error instanceof RunError) || !error.message.startsWith('missing artifact')) throw error
      missing.push(`${spec.label}: ${spec.file}`)
      hints.add(hint)
      continue
    }
    const binary = await unpack(archive)
    resolved.set(
      key,
      context.check
        ? {path: `(not unpacked under --check)/${name}`, sha256: sha256(binary)}
        : await cacheDerived(binary, {cacheDir: context.cacheDir, name}),
    )
  }
  if (missing.length > 0) {
    const where = context.artifactsDir ? `--artifacts ${context.artifactsDir}` : 'an --artifacts directory'
    throw new RunError(
      `missing artifact${missing.length > 1 ? 's' : ''}: ${missing.join('; ')}; nothing was changed on any host`,
      `download ${[...hints].join(', ')} on a machine with internet, put them in ${where}, and run again ${otherwise}`,
    )
  }
  return resolved
}

/** A file the vendor publishes without a checksum file (an apt repository key): pinned by SHA-256 in the inventory. */
export interface PinnedFileSpec {
  file: string
  label: string
  sha256: string
  url: string
}

/** Like resolveArtifact, for a file whose SHA-256 the inventory pins. */
export async function resolvePinned(
  spec: PinnedFileSpec,
  options: {artifactsDir?: string | undefined; cacheDir: string},
): Promise<{content: Buffer; sha256: string}> {
  let pinned: Obtained
  try {
    pinned = await obtain(spec.file, spec.url, options)
  } catch (error) {
    if (error instanceof GoldentoothError) throw error
    const where = options.artifactsDir ? `--artifacts ${options.artifactsDir}` : 'an --artifacts directory'
    throw new RunError(
      `missing artifact: ${spec.label}: ${spec.file} could not be found or downloaded (${(error as Error).message})`,
      `download ${spec.url} on a machine with internet, put it in ${where}, and run again`,
    )
  }
  const actual = sha256(pinned.content)
  if (actual !== spec.sha256.toLowerCase())
    throw new RunError(
      `checksum mismatch for ${spec.file}: the inventory pins sha256 ${spec.sha256}, ${pinned.from} has ${actual}`,
      "check that the key is the vendor's, then update the pinned checksum",
    )
  cacheDownload(spec.file, pinned, options.cacheDir)
  return {content: pinned.content, sha256: actual}
}
