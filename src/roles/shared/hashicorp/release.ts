import {createHash} from 'node:crypto'

import type {ArtifactSpec, ResolvedArtifact} from '../../../engine/artifacts.js'
import type {PrepareContext} from '../../../engine/role.js'

import {RunError} from '../../../core/errors.js'
import {cacheDerived, resolveArtifact} from '../../../engine/artifacts.js'

/** HashiCorp's release names for Debian architectures (hashi-up's mapping; 32-bit ARM is `arm`). */
const GO_ARCH: Record<string, string> = {amd64: 'amd64', arm64: 'arm64', armhf: 'arm', i386: '386'}

export function goArch(debianArch: string): string {
  const arch = GO_ARCH[debianArch]
  if (!arch) throw new RunError(`HashiCorp publishes no Linux release for the ${debianArch} architecture`)
  return arch
}

/** One binary from one HashiCorp release zip, for one Debian architecture. */
export interface ReleaseRequest {
  architecture: string
  /** The executable inside the zip. */
  binary: string
  /** The release name on releases.hashicorp.com: consul, vault, nomad, nomad-device-nvidia. */
  name: string
  version: string
}

export function releaseKey(request: ReleaseRequest): string {
  return `${request.name}@${request.version}/${request.architecture}`
}

/** `https://releases.hashicorp.com/consul/1.20.5/consul_1.20.5_linux_arm64.zip` and its SHA256SUMS. */
export function releaseArtifact(request: ReleaseRequest): ArtifactSpec {
  const {name, version} = request
  const file = `${name}_${version}_linux_${goArch(request.architecture)}.zip`
  const sumsFile = `${name}_${version}_SHA256SUMS`
  const base = `https://releases.hashicorp.com/${name}/${version}`
  return {
    file,
    label: `${name} ${version} (${request.architecture})`,
    sumsFile,
    sumsUrl: `${base}/${sumsFile}`,
    url: `${base}/${file}`,
  }
}

/** The one executable a release zip holds. */
export async function unpackBinary(zip: Buffer, binary: string, file: string): Promise<Buffer> {
  const {unzipSync} = await import('fflate')
  let entries: Record<string, Uint8Array>
  try {
    entries = unzipSync(new Uint8Array(zip), {filter: (entry) => entry.name === binary})
  } catch (error) {
    throw new RunError(`${file} is not a readable zip archive (${(error as Error).message})`)
  }
  const content = entries[binary]
  if (!content) throw new RunError(`${file} holds no file named ${binary}`)
  return Buffer.from(content)
}

/**
 * Every binary the run needs, each verified against HashiCorp's SHA256SUMS and unpacked into the cache, by
 * releaseKey. When any release zip is missing, one error names them all, before anything changes on any host. Under
 * --check nothing is cached: the result only carries each binary's SHA-256.
 */
export async function releaseBinaries(
  requests: readonly ReleaseRequest[],
  context: Pick<PrepareContext, 'artifactsDir' | 'cacheDir' | 'check'>,
): Promise<Map<string, ResolvedArtifact>> {
  const unique = new Map(requests.map((request) => [releaseKey(request), request]))
  const resolved = new Map<string, ResolvedArtifact>()
  const missing: string[] = []
  const hints: string[] = []
  for (const [key, request] of [...unique].sort(([a], [b]) => a.localeCompare(b))) {
    const spec = releaseArtifact(request)
    let zip: Buffer
    try {
      zip = (await resolveArtifact(spec, {artifactsDir: context.artifactsDir, cacheDir: context.cacheDir})).content
    } catch (error) {
      if (!(error instanceof RunError) || !error.message.startsWith('missing artifact')) throw error
      missing.push(`${spec.label}: ${spec.file}`)
      hints.push(`${spec.url} and ${spec.sumsUrl}`)
      continue
    }
    const binary = await unpackBinary(zip, request.binary, spec.file)
    const name = `${request.binary}_${request.version}_linux_${goArch(request.architecture)}`
    resolved.set(
      key,
      context.check
        ? {path: `(not unpacked under --check)/${name}`, sha256: createHash('sha256').update(binary).digest('hex')}
        : await cacheDerived(binary, {cacheDir: context.cacheDir, name}),
    )
  }
  if (missing.length > 0) {
    const where = context.artifactsDir ? `--artifacts ${context.artifactsDir}` : 'an --artifacts directory'
    throw new RunError(
      `missing artifact${missing.length > 1 ? 's' : ''}: ${missing.join('; ')}; nothing was changed on any host`,
      `download ${hints.join(', ')} on a machine with internet, put them in ${where}, and run again ` +
        "(or set <product>.install: apt to use HashiCorp's Debian repository)",
    )
  }
  return resolved
}
