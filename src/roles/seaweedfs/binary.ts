import {createHash} from 'node:crypto'
import path from 'node:path'

import type {ArtifactSpec, ResolvedArtifact} from '../../engine/artifacts.js'
import type {PrepareContext} from '../../engine/role.js'

import {RunError} from '../../core/errors.js'
import {cacheDerived, resolveArtifact} from '../../engine/artifacts.js'
import {fileFromTarball} from '../shared/pki/binaries.js'

const ARCH: Record<string, string> = {amd64: 'amd64', arm64: 'arm64', armhf: 'arm'}

/** The SeaweedFS release tarball for a Debian architecture, verified against the .md5 file published beside it. */
export function seaweedfsArtifact(version: string, architecture: string): ArtifactSpec {
  const arch = ARCH[architecture]
  if (!arch) throw new RunError(`SeaweedFS publishes no release for ${architecture}`)
  const file = `linux_${arch}.tar.gz`
  const base = `https://github.com/seaweedfs/seaweedfs/releases/download/${version}`
  return {
    digest: 'md5',
    file,
    label: `SeaweedFS ${version} (${architecture})`,
    sumsFile: `${file}.md5`,
    sumsUrl: `${base}/${file}.md5`,
    url: `${base}/${file}`,
  }
}

/**
 * The `weed` binary for each architecture, unpacked into the cache. The release file names carry no version, so they
 * are looked up in `--artifacts DIR/seaweedfs-<version>/` and cached per version.
 */
export async function resolveWeed(
  version: string,
  architectures: readonly string[],
  context: Pick<PrepareContext, 'artifactsDir' | 'cacheDir' | 'check'>,
): Promise<Map<string, ResolvedArtifact>> {
  const resolved = new Map<string, ResolvedArtifact>()
  const cacheDir = path.join(context.cacheDir, `seaweedfs-${version}`)
  const artifactsDir = context.artifactsDir && path.join(context.artifactsDir, `seaweedfs-${version}`)
  for (const architecture of new Set(architectures)) {
    const spec = seaweedfsArtifact(version, architecture)
    let content: Buffer
    try {
      ;({content} = await resolveArtifact(spec, {artifactsDir, cacheDir}))
    } catch (error) {
      if (!(error instanceof RunError) || !error.message.startsWith('missing artifact')) throw error
      throw new RunError(
        `${error.message}; nothing was changed on any host`,
        `download ${spec.url} and ${spec.sumsUrl} on a machine with internet, put both in ` +
          `${context.artifactsDir ?? 'DIR'}/seaweedfs-${version}/ and run again with --artifacts ${context.artifactsDir ?? 'DIR'}`,
      )
    }
    const weed = await fileFromTarball(content, 'weed')
    if (!weed) throw new RunError(`${spec.file} of SeaweedFS ${version} holds no file named weed`)
    resolved.set(
      architecture,
      context.check
        ? {path: '(not unpacked under --check)/weed', sha256: createHash('sha256').update(weed).digest('hex')}
        : await cacheDerived(weed, {cacheDir, name: 'weed'}),
    )
  }
  return resolved
}
