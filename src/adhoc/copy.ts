import {stat} from 'node:fs/promises'
import path from 'node:path'

import type {HostResult} from '../fanout/results.js'
import type {Session} from '../fanout/session.js'

import {UsageError} from '../core/errors.js'
import {resultOf} from '../fanout/outcome.js'
import {makeDirectory} from '../state/atomic-write.js'
import {fileError} from '../state/file-errors.js'
import {shq} from '../transport/quote.js'

export type Endpoint = {kind: 'local'; path: string} | {kind: 'remote'; path: string; pattern: string}

/**
 * `host:path` or `group:path` is remote (the last ':' before the first '/' separates pattern and path, so
 * `a:b:/x` and `g[1:3]:/x` work); anything else, including `./a:b`, is a local path.
 */
export function parseEndpoint(spec: string): Endpoint {
  const slash = spec.indexOf('/')
  const head = slash === -1 ? spec : spec.slice(0, slash)
  const colon = head.lastIndexOf(':')
  if (colon <= 0 || head.startsWith('.')) return {kind: 'local', path: spec}
  const remotePath = spec.slice(colon + 1)
  if (remotePath === '')
    throw new UsageError(`no path after ':' in ${spec}`, 'write host:/absolute/path or host:relative/to/home')
  return {kind: 'remote', path: remotePath, pattern: spec.slice(0, colon)}
}

async function isDirectory(p: string): Promise<boolean> {
  return (await stat(p).catch(() => undefined))?.isDirectory() ?? false
}

/** Where `name` lands: inside `destination` when that is a directory (or ends with '/'), else at `destination`. */
function intoDestination(destination: string, name: string, destinationIsDir: boolean): string {
  return destinationIsDir || destination.endsWith('/') ? path.join(destination, name) : destination
}

function copied(base: Pick<HostResult, 'durationMs' | 'host'>, summary: string): HostResult {
  return {...base, error: null, exitCode: 0, status: 'ok', stderr: '', stdout: `${summary}\n`}
}

/** Upload one local file to every host of the session (into remotePath when that is a directory). */
export async function upload(
  session: Session,
  localFile: string,
  remotePath: string,
  label = localFile,
): Promise<HostResult[]> {
  const info = await stat(localFile).catch(() => undefined)
  if (!info) throw new UsageError(`no such local file: ${localFile}`)
  if (info.isDirectory())
    throw new UsageError(
      `${localFile} is a directory; cp copies files`,
      `archive it first: tar czf dir.tgz ${localFile}`,
    )
  const outcomes = await session.forEach(async (connection) => {
    const isDir = remotePath.endsWith('/') || (await connection.exec(`test -d ${shq(remotePath)}`)).exitCode === 0
    const target = intoDestination(remotePath, path.basename(localFile), isDir)
    await connection.upload({localPath: localFile}, target, {mode: info.mode & 0o7777})
    return target
  })
  return outcomes.map((outcome) =>
    resultOf(outcome, (target, base) => copied(base, `${label} -> ${target} (${info.size} bytes)`)),
  )
}

/** The file name a remote path names: refused when it names a directory (`/`, `dir/`, `.`, `..`). */
export function remoteFileName(remotePath: string): string {
  const name = remotePath.slice(remotePath.lastIndexOf('/') + 1)
  if (name === '' || name === '.' || name === '..')
    throw new UsageError(`${remotePath} names a directory; cp copies files`, 'name the file, e.g. host:/etc/hostname')
  return name
}

/**
 * A host's directory under a download's destination: its name where that is a plain name, else percent-encoded (every
 * byte outside [A-Za-z0-9_.-], and a leading dot), so that no host name can leave the destination or share a
 * directory with another.
 */
export function hostDirectoryName(host: string): string {
  return [...Buffer.from(host, 'utf8')]
    .map((byte, index) => {
      const char = String.fromCharCode(byte)
      return /[A-Za-z0-9_-]/.test(char) || (char === '.' && index > 0)
        ? char
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
    })
    .join('')
}

/** Download remotePath from every host of the session: into one subdirectory per host when there are several. */
export async function download(session: Session, remotePath: string, destination: string): Promise<HostResult[]> {
  const perHost = session.hosts.length > 1
  const destinationIsDir = perHost || (await isDirectory(destination))
  const name = remoteFileName(remotePath)
  const outcomes = await session.forEach(async (connection, host) => {
    const local = perHost
      ? path.join(destination, hostDirectoryName(host), name)
      : intoDestination(destination, name, destinationIsDir)
    try {
      makeDirectory(path.dirname(local), 0o755)
    } catch (error) {
      throw fileError(error, local)
    }
    await connection.download(remotePath, local)
    return local
  })
  return outcomes.map((outcome) =>
    resultOf(outcome, (local, base) =>
      copied(
        base,
        perHost && hostDirectoryName(base.host) !== base.host
          ? `${remotePath} -> ${local} (host name percent-encoded as a directory name)`
          : `${remotePath} -> ${local}`,
      ),
    ),
  )
}
