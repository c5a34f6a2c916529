import {createHash} from 'node:crypto'
import path from 'node:path'
import {Parser, type ReadEntry} from 'tar'

import type {ArtifactSpec, ResolvedArtifact} from '../../../engine/artifacts.js'
import type {PrepareContext} from '../../../engine/role.js'

import {RunError} from '../../../core/errors.js'
import {cacheDerived, resolveArtifact} from '../../../engine/artifacts.js'

export type SmallstepTool = 'step' | 'step-ca'

export interface BinaryRequest {
  /** Debian architecture (facts.architecture). */
  architecture: string
  tool: SmallstepTool
  version: string
}

const ARCH: Record<string, string> = {amd64: 'amd64', arm64: 'arm64', armhf: 'armv7'}
const REPOSITORY: Record<SmallstepTool, string> = {step: 'smallstep/cli', 'step-ca': 'smallstep/certificates'}

export function binaryKey(request: BinaryRequest): string {
  return `${request.tool}@${request.version}/${request.architecture}`
}

/** The Smallstep release tarball for a tool, version and Debian architecture, and its goreleaser checksums.txt. */
export function smallstepArtifact(request: BinaryRequest): ArtifactSpec {
  const arch = ARCH[request.architecture]
  if (!arch) throw new RunError(`Smallstep publishes no ${request.tool} release for ${request.architecture}`)
  const base = `https://github.com/${REPOSITORY[request.tool]}/releases/download/v${request.version}`
  const file = `${request.tool}_linux_${request.version}_${arch}.tar.gz`
  return {
    file,
    label: `${request.tool} ${request.version} (${request.architecture})`,
    sumsFile: `${request.tool}_${request.version}_checksums.txt`,
    sumsUrl: `${base}/checksums.txt`,
    url: `${base}/${file}`,
  }
}

/** The file named `name` anywhere in a .tar.gz. */
export async function fileFromTarball(tarball: Buffer, name: string): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    let found: Buffer | undefined
    const parser = new Parser({
      onReadEntry: (entry: ReadEntry) => {
        if (entry.type !== 'File' || path.posix.basename(entry.path) !== name) {
          entry.resume()
          return
        }
        const chunks: Buffer[] = []
        entry.on('data', (chunk: Buffer) => chunks.push(chunk))
        entry.on('end', () => {
          found = Buffer.concat(chunks)
        })
      },
    })
    parser.on('error', reject)
    parser.on('end', () => resolve(found))
    parser.end(tarball)
  })
}

/**
 * Every binary the run needs, each verified against Smallstep's checksums and unpacked into the cache. When any is
 * missing, one error names them all, before anything has changed on any host. Under --check nothing is cached: the
 * result only carries each binary's SHA-256.
 */
export async function resolveBinaries(
  requests: readonly BinaryRequest[],
  context: Pick<PrepareContext, 'artifactsDir' | 'cacheDir' | 'check'>,
): Promise<Map<string, ResolvedArtifact>> {
  const unique = new Map(requests.map((request) => [binaryKey(request), request]))
  const resolved = new Map<string, ResolvedArtifact>()
  const missing: string[] = []
  const hints = new Set<string>()
  for (const [key, request] of unique) {
    const spec = smallstepArtifact(request)
    let tarball: Buffer
    try {
      tarball = (await resolveArtifact(spec, {artifactsDir: context.artifactsDir, cacheDir: context.cacheDir})).content
    } catch (error) {
      if (!(error instanceof RunError) || !error.message.startsWith('missing artifact')) throw error
      missing.push(`${spec.label}: ${spec.file}`)
      hints.add(`${spec.url} and ${spec.sumsUrl} (saved as ${spec.sumsFile})`)
      continue
    }
    const binary = await fileFromTarball(tarball, request.tool)
    if (!binary) throw new RunError(`${spec.file} holds no file named ${request.tool}`)
    resolved.set(
      key,
      context.check
        ? {
            path: `(not unpacked under --check)/${request.tool}`,
            sha256: createHash('sha256').update(binary).digest('hex'),
          }
        : await cacheDerived(binary, {cacheDir: context.cacheDir, name: request.tool}),
    )
  }
  if (missing.length > 0) {
    const where = context.artifactsDir ? `--artifacts ${context.artifactsDir}` : 'an --artifacts directory'
    throw new RunError(
      `missing artifact${missing.length > 1 ? 's' : ''}: ${missing.join('; ')}; nothing was changed on any host`,
      `download ${[...hints].join(', ')} on a machine with internet, put them in ${where}, and run again ` +
        '(or set step_ca.install: apt to use the Smallstep Debian repository)',
    )
  }
  return resolved
}
