import {createHash} from 'node:crypto'
import {existsSync} from 'node:fs'
import {mkdir, readFile, rename, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {RunError} from '../cli/errors.js'

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

/** GOLDENTOOTH_OFFLINE=1: never download (air-gapped operators, and tests that must not reach the internet). */
async function download(url: string): Promise<Buffer> {
  if (process.env.GOLDENTOOTH_OFFLINE) throw new Error('not downloaded: GOLDENTOOTH_OFFLINE is set')
  const response = await fetch(url, {signal: AbortSignal.timeout(120_000)})
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`)
  return Buffer.from(await response.arrayBuffer())
}

/** `--artifacts DIR` first, then the cache, then the vendor's site (cached on success). Not verified: callers do. */
export async function obtain(
  name: string,
  url: string,
  options: {artifactsDir?: string | undefined; cacheDir: string},
): Promise<Buffer> {
  for (const dir of [options.artifactsDir, options.cacheDir]) {
    if (dir && existsSync(path.join(dir, name))) return readFile(path.join(dir, name))
  }
  const content = await download(url)
  await mkdir(options.cacheDir, {recursive: true})
  const temporary = path.join(options.cacheDir, `.${name}.${process.pid}`)
  await writeFile(temporary, content)
  await rename(temporary, path.join(options.cacheDir, name))
  return content
}

/**
 * The release file, verified: found in --artifacts DIR or the cache, or downloaded once into the cache. A file that
 * cannot be found, or whose checksum does not match the vendor's SHA256SUMS, is an error naming it; nothing has
 * changed on any host when it is thrown.
 */
export async function resolveArtifact(
  spec: ArtifactSpec,
  options: {artifactsDir?: string | undefined; cacheDir: string},
): Promise<{content: Buffer; sha256: string}> {
  let sums: Buffer
  let content: Buffer
  try {
    ;[sums, content] = await Promise.all([
      obtain(spec.sumsFile, spec.sumsUrl, options),
      obtain(spec.file, spec.url, options),
    ])
  } catch (error) {
    const where = options.artifactsDir ? `--artifacts ${options.artifactsDir}` : 'an --artifacts directory'
    throw new RunError(
      `missing artifact: ${spec.label}: ${spec.file} (and ${spec.sumsFile}) could not be found or downloaded (${(error as Error).message})`,
      `download ${spec.url} and ${spec.sumsUrl} on a machine with internet, put both in ${where}, and run again`,
    )
  }
  const expected = expectedChecksum(sums.toString('utf8'), spec.file)
  if (!expected) throw new RunError(`${spec.sumsFile} has no checksum for ${spec.file}`)
  const digest = spec.digest ?? 'sha256'
  const actual = createHash(digest).update(content).digest('hex')
  if (actual !== expected) {
    throw new RunError(
      `checksum mismatch for ${spec.file}: expected ${digest} ${expected} (from ${spec.sumsFile}), got ${actual}`,
      'delete the file and download it again',
    )
  }
  return {content, sha256: sha256(content)}
}

/** Store a file derived from an artifact (a binary unpacked from its archive) in the cache, by content. */
export async function cacheDerived(
  content: Buffer,
  options: {cacheDir: string; name: string},
): Promise<ResolvedArtifact> {
  const hash = sha256(content)
  const file = path.join(options.cacheDir, 'derived', hash, options.name)
  if (!existsSync(file)) {
    await mkdir(path.dirname(file), {recursive: true})
    await writeFile(`${file}.${process.pid}`, content, {mode: 0o755})
    await rename(`${file}.${process.pid}`, file)
  }
  return {path: file, sha256: hash}
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
  let content: Buffer
  try {
    content = await obtain(spec.file, spec.url, options)
  } catch (error) {
    const where = options.artifactsDir ? `--artifacts ${options.artifactsDir}` : 'an --artifacts directory'
    throw new RunError(
      `missing artifact: ${spec.label}: ${spec.file} could not be found or downloaded (${(error as Error).message})`,
      `download ${spec.url} on a machine with internet, put it in ${where}, and run again`,
    )
  }
  const actual = sha256(content)
  if (actual !== spec.sha256.toLowerCase())
    throw new RunError(
      `checksum mismatch for ${spec.file}: the inventory pins sha256 ${spec.sha256}, the file has ${actual}`,
      "check that the key is the vendor's, then update the pinned checksum",
    )
  return {content, sha256: actual}
}
