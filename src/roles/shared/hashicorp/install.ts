import type {ResolvedArtifact} from '../../../engine/artifacts.js'
import type {Resource} from '../../../engine/resources.js'
import type {HostContext, PrepareContext} from '../../../engine/role.js'
import type {ProductInstall} from './settings.js'

import {InvalidInputError} from '../../../core/errors.js'
import {cacheDerived, resolvePinned} from '../../../engine/artifacts.js'
import {aptRepository, packages, ROOT} from '../../../engine/resources.js'
import {setting} from '../../vars.js'
import {releaseBinaries, releaseKey, type ReleaseRequest} from './release.js'

/** HashiCorp's Debian repository; its key has no checksum file, so the inventory pins its SHA-256. */
export const HASHICORP_APT = {
  keyFile: 'hashicorp-archive-keyring.asc',
  keyUrl: 'https://apt.releases.hashicorp.com/gpg',
  name: 'hashicorp',
  uri: 'https://apt.releases.hashicorp.com',
}

/** What prepare() resolved on the operator's machine: verified binaries by releaseKey, and the apt key. */
export interface PreparedInstall {
  aptKey?: ResolvedArtifact
  binaries: ReadonlyMap<string, ResolvedArtifact>
}

/** One binary a host needs: the product itself, or a plugin (nomad-device-nvidia). */
export interface HostBinary {
  host: string
  install: ProductInstall
  /** Release name and executable when they are not the product's own (a plugin). */
  release?: {binary: string; name: string; version: string}
}

function requestFor(binary: HostBinary, architecture: string): ReleaseRequest {
  const {install} = binary
  return {
    architecture,
    ...(binary.release ?? {binary: install.product, name: install.product, version: install.version}),
  }
}

/**
 * Resolve everything the hosts' binaries need before anything changes anywhere: release zips (verified, unpacked)
 * for each host's architecture, and HashiCorp's apt key when a host installs from apt. A missing file throws,
 * naming it.
 */
export async function prepareBinaries(
  context: PrepareContext,
  wanted: readonly HostBinary[],
): Promise<PreparedInstall> {
  const fromRelease = wanted.filter((binary) => binary.install.method === 'release' || binary.release)
  const binaries = await releaseBinaries(
    fromRelease.map((binary) => requestFor(binary, context.factsOf(binary.host).architecture)),
    context,
  )
  const aptHost = wanted.find((binary) => binary.install.method === 'apt' && !binary.release)
  if (!aptHost) return {binaries}
  const vars = context.inventory.hostVars(aptHost.host)
  const pin = setting(vars, 'hashicorp_apt.key_sha256', '')
  if (pin === '')
    throw new InvalidInputError(
      `${aptHost.install.product}.install is apt, but hashicorp_apt.key_sha256 is not set (${aptHost.host})`,
      undefined,
      `pin the SHA-256 of ${HASHICORP_APT.keyUrl} after checking its fingerprint (gpg --show-keys)`,
    )
  const key = await resolvePinned(
    {file: HASHICORP_APT.keyFile, label: 'HashiCorp apt key', sha256: pin, url: HASHICORP_APT.keyUrl},
    context,
  )
  const aptKey = context.check
    ? {path: `(not cached under --check)/${HASHICORP_APT.keyFile}`, sha256: key.sha256}
    : await cacheDerived(key.content, {cacheDir: context.cacheDir, name: HASHICORP_APT.keyFile})
  return {aptKey, binaries}
}

const UNRESOLVED = '(resolved when the role runs)'

/**
 * Install one binary on a host: the verified release binary pushed as an artifact, or the apt package from HashiCorp's
 * repository. Offline rendering (no prepare) plans the same resources with the binary unresolved.
 */
export function binaryResources(context: HostContext, binary: Omit<HostBinary, 'host'>, path: string): Resource[] {
  const prepared = context.prepared as PreparedInstall | undefined
  const {install} = binary
  const notify = [{action: 'restart' as const, service: install.product}]
  if (install.method === 'release' || binary.release) {
    const request = requestFor({...binary, host: context.host}, context.facts.architecture)
    const resolved = prepared?.binaries.get(releaseKey(request))
    return [
      {
        ...ROOT,
        kind: 'artifact',
        localPath: resolved?.path ?? `${UNRESOLVED}/${request.name}`,
        mode: 0o755,
        notify,
        path,
        sha256: resolved?.sha256 ?? '',
      },
    ]
  }
  const key = prepared?.aptKey
  return [
    ...aptRepository({
      components: ['main'],
      keyring: {localPath: key?.path ?? `${UNRESOLVED}/${HASHICORP_APT.keyFile}`, sha256: key?.sha256 ?? ''},
      name: HASHICORP_APT.name,
      suites: [context.facts.os.codename],
      uris: [HASHICORP_APT.uri],
    }),
    {...packages([install.product]), notify},
  ]
}
