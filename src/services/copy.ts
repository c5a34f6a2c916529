import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import type {ConnectionOptions} from './scope.js'

import {download, type Endpoint, parseEndpoint, remoteFileName, upload} from '../adhoc/copy.js'
import {UsageError} from '../core/errors.js'
import {finishRun, type RunReport} from './run.js'
import {withScope} from './scope.js'

type Remote = Extract<Endpoint, {kind: 'remote'}>

/** cp SRC DST: local to many hosts, many hosts to local (one subdirectory per host), or one host to many hosts. */
export async function copy(
  sourceSpec: string,
  destinationSpec: string,
  options: ConnectionOptions,
): Promise<RunReport> {
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
    return withScope(destination.pattern, options, async (scope) =>
      finishRun(scope, await upload(scope.session, source.path, destination.path)),
    )
  }
  if (source.kind === 'remote' && destination.kind === 'local') {
    return withScope(source.pattern, options, async (scope) =>
      finishRun(scope, await download(scope.session, source.path, destination.path)),
    )
  }
  return relay(source as Remote, destination as Remote, options)
}

/** Host to hosts: fetch the one source file into a private local directory, then upload it to every destination. */
async function relay(source: Remote, destination: Remote, options: ConnectionOptions): Promise<RunReport> {
  const staging = await mkdtemp(path.join(os.tmpdir(), 'goldentooth-cp-'))
  const staged = path.join(staging, remoteFileName(source.path))
  try {
    return await withScope(source.pattern, options, async (sourceScope) => {
      const count = sourceScope.session.hosts.length
      if (count !== 1)
        throw new UsageError(`the source of a host-to-host copy must be one host; ${source.pattern} selects ${count}`)
      const fetched = await download(sourceScope.session, source.path, staged)
      if (fetched.some((result) => result.status !== 'ok')) return finishRun(sourceScope, fetched)
      const label = `${sourceScope.session.hosts[0]}:${source.path}`
      return withScope(destination.pattern, options, async (scope) =>
        finishRun(scope, await upload(scope.session, staged, destination.path, label)),
      )
    })
  } finally {
    await rm(staging, {force: true, recursive: true})
  }
}
