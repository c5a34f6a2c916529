import type {ResolvedArtifact} from '../../../engine/artifacts.js'
import type {Resource} from '../../../engine/resources.js'
import type {PrepareContext} from '../../../engine/role.js'
import type {StepCaSettings} from './settings.js'

import {InvalidInputError} from '../../../core/errors.js'
import {cacheDerived, resolvePinned} from '../../../engine/artifacts.js'
import {aptRepository, packages, ROOT} from '../../../engine/resources.js'
import {binaryKey, resolveBinaries, type SmallstepTool} from './binaries.js'

/** What prepare() resolved on the operator's machine: binaries by binaryKey(), or the apt repository's keyring. */
export interface PreparedInstall {
  binaries: Map<string, ResolvedArtifact>
  keyring?: ResolvedArtifact
}

const APT_PACKAGE: Record<SmallstepTool, string> = {step: 'step-cli', 'step-ca': 'step-ca'}
const UNRESOLVED = 'unresolved: rendered without prepare'

function version(settings: StepCaSettings, tool: SmallstepTool): string {
  return tool === 'step' ? settings.version.cli : settings.version.ca
}

/**
 * Resolve what the hosts need before anything changes: the release binaries for every architecture among them, or
 * the apt repository's pinned key. A missing file stops the run here, naming it.
 */
export async function prepareInstall(
  settings: StepCaSettings,
  needs: ReadonlyArray<{architecture: string; tool: SmallstepTool}>,
  context: Pick<PrepareContext, 'artifactsDir' | 'cacheDir' | 'check'>,
): Promise<PreparedInstall> {
  if (settings.install === 'none') return {binaries: new Map()}
  if (settings.install === 'apt') {
    const sha256 = settings.apt.keyringSha256
    if (!sha256)
      throw new InvalidInputError(
        'step_ca.install is apt but step_ca.apt.keyring_sha256 is not set: pin the Smallstep repository key by its SHA-256',
      )
    const file = settings.apt.keyringUrl.slice(settings.apt.keyringUrl.lastIndexOf('/') + 1)
    const key = await resolvePinned(
      {file, label: 'Smallstep apt repository key', sha256, url: settings.apt.keyringUrl},
      {artifactsDir: context.artifactsDir, cacheDir: context.cacheDir},
    )
    const keyring = context.check
      ? {path: file, sha256: key.sha256}
      : await cacheDerived(key.content, {cacheDir: context.cacheDir, name: file})
    return {binaries: new Map(), keyring}
  }
  const requests = needs.map(({architecture, tool}) => ({architecture, tool, version: version(settings, tool)}))
  return {binaries: await resolveBinaries(requests, context)}
}

/** The resources that put the tools on a host of this architecture (nothing when step_ca.install is none). */
export function installResources(
  settings: StepCaSettings,
  tools: readonly SmallstepTool[],
  architecture: string,
  prepared: PreparedInstall | undefined,
): Resource[] {
  if (settings.install === 'none') return []
  if (settings.install === 'apt') {
    const keyring = prepared?.keyring ?? {path: 'smallstep.gpg', sha256: UNRESOLVED}
    return [
      ...aptRepository({
        components: [settings.apt.component],
        keyring: {localPath: keyring.path, sha256: keyring.sha256},
        name: 'smallstep',
        suites: [settings.apt.suite],
        uris: [settings.apt.uri],
      }),
      packages(tools.map((tool) => APT_PACKAGE[tool])),
    ]
  }
  return tools.map((tool): Resource => {
    const binary = prepared?.binaries.get(binaryKey({architecture, tool, version: version(settings, tool)}))
    return {
      ...ROOT,
      kind: 'artifact',
      localPath: binary?.path ?? tool,
      mode: 0o755,
      path: `${settings.binDir}/${tool}`,
      sha256: binary?.sha256 ?? UNRESOLVED,
    }
  })
}
