import type {ArtifactSpec, BinaryInRelease, ResolvedArtifact} from '../../../engine/artifacts.js'
import type {PrepareContext} from '../../../engine/role.js'

import {RunError} from '../../../core/errors.js'
import {binariesFromReleases} from '../../../engine/artifacts.js'

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

/** Every binary the run needs, by releaseKey, from HashiCorp's release zips (see binariesFromReleases). */
export async function releaseBinaries(
  requests: readonly ReleaseRequest[],
  context: Pick<PrepareContext, 'artifactsDir' | 'cacheDir' | 'check'>,
): Promise<Map<string, ResolvedArtifact>> {
  const unique = new Map(requests.map((request) => [releaseKey(request), request]))
  const binaries = new Map<string, BinaryInRelease>()
  for (const [key, request] of [...unique].sort(([a], [b]) => a.localeCompare(b))) {
    const spec = releaseArtifact(request)
    binaries.set(key, {
      hint: `${spec.url} and ${spec.sumsUrl}`,
      name: `${request.binary}_${request.version}_linux_${goArch(request.architecture)}`,
      spec,
      unpack: (zip) => unpackBinary(zip, request.binary, spec.file),
    })
  }
  return binariesFromReleases(binaries, context, "(or set <product>.install: apt to use HashiCorp's Debian repository)")
}
