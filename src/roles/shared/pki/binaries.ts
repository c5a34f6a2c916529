import path from 'node:path'
import {Parser, type ReadEntry} from 'tar'

import type {ArtifactSpec, BinaryInRelease, ResolvedArtifact} from '../../../engine/artifacts.js'
import type {PrepareContext} from '../../../engine/role.js'

import {RunError} from '../../../core/errors.js'
import {binariesFromReleases} from '../../../engine/artifacts.js'

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

/** Every binary the run needs, by binaryKey, from Smallstep's release tarballs (see binariesFromReleases). */
export async function resolveBinaries(
  requests: readonly BinaryRequest[],
  context: Pick<PrepareContext, 'artifactsDir' | 'cacheDir' | 'check'>,
): Promise<Map<string, ResolvedArtifact>> {
  const binaries = new Map<string, BinaryInRelease>()
  for (const request of requests) {
    const spec = smallstepArtifact(request)
    binaries.set(binaryKey(request), {
      hint: `${spec.url} and ${spec.sumsUrl} (saved as ${spec.sumsFile})`,
      name: request.tool,
      spec,
      unpack: async (tarball) => {
        const binary = await fileFromTarball(tarball, request.tool)
        if (!binary) throw new RunError(`${spec.file} holds no file named ${request.tool}`)
        return binary
      },
    })
  }
  return binariesFromReleases(binaries, context, '(or set step_ca.install: apt to use the Smallstep Debian repository)')
}
