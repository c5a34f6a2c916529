import {mkdtemp, rm, stat} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import type {HostResult, RunReportJson} from '../fanout/results.js'
import type {Session} from '../fanout/session.js'
import type {Reported} from './report.js'
import type {ConnectionFlagValues} from './scope.js'

import {UsageError} from '../core/errors.js'
import {resultOf} from '../fanout/outcome.js'
import {makeDirectory} from '../state/atomic-write.js'
import {fileError} from '../state/file-errors.js'
import {shq} from '../transport/quote.js'
import {reportRun} from './report.js'
import {withScope} from './scope.js'

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

async function upload(
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

async function download(session: Session, remotePath: string, destination: string): Promise<HostResult[]> {
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

/** cp SRC DST: local to many hosts, many hosts to local (one subdirectory per host), or one host to many hosts. */
export async function copy(
  sourceSpec: string,
  destinationSpec: string,
  flags: ConnectionFlagValues & {json: boolean},
): Promise<Reported<RunReportJson>> {
  const source = parseEndpoint(sourceSpec)
  const destination = parseEndpoint(destinationSpec)
  if (source.kind === 'remote') remoteFileName(source.path)
  if (source.kind === 'local' && destination.kind === 'local') {
    throw new UsageError(
      'neither side of cp names hosts',
      'write host:path or group:path on one side, e.g. goldentooth cp ./app.conf web:/etc/app.conf',
    )
  }
  if (source.kind === 'local' && destination.kind === 'remote') {
    return withScope(destination.pattern, flags, async (scope) =>
      reportRun(scope, await upload(scope.session, source.path, destination.path), {json: flags.json, streamed: false}),
    )
  }
  if (source.kind === 'remote' && destination.kind === 'local') {
    return withScope(source.pattern, flags, async (scope) =>
      reportRun(scope, await download(scope.session, source.path, destination.path), {
        json: flags.json,
        streamed: false,
      }),
    )
  }
  return relay(source as Extract<Endpoint, {kind: 'remote'}>, destination as Extract<Endpoint, {kind: 'remote'}>, flags)
}

/** Host to hosts: fetch the one source file into a private local directory, then upload it to every destination. */
async function relay(
  source: Extract<Endpoint, {kind: 'remote'}>,
  destination: Extract<Endpoint, {kind: 'remote'}>,
  flags: ConnectionFlagValues & {json: boolean},
): Promise<Reported<RunReportJson>> {
  const staging = await mkdtemp(path.join(os.tmpdir(), 'goldentooth-cp-'))
  const staged = path.join(staging, remoteFileName(source.path))
  try {
    return await withScope(source.pattern, flags, async (sourceScope) => {
      const count = sourceScope.session.hosts.length
      if (count !== 1)
        throw new UsageError(`the source of a host-to-host copy must be one host; ${source.pattern} selects ${count}`)
      const fetched = await download(sourceScope.session, source.path, staged)
      if (fetched.some((result) => result.status !== 'ok'))
        return reportRun(sourceScope, fetched, {json: flags.json, streamed: false})
      return withScope(destination.pattern, flags, async (scope) =>
        reportRun(
          scope,
          await upload(scope.session, staged, destination.path, `${sourceScope.session.hosts[0]}:${source.path}`),
          {
            json: flags.json,
            streamed: false,
          },
        ),
      )
    })
  } finally {
    await rm(staging, {force: true, recursive: true})
  }
}
