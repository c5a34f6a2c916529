/**
 * What a role asks for on one host. Each resource is idempotent: the engine probes its current state, and changes it
 * only when it differs. Roles build these with the helpers at the bottom of this file.
 */

/** Restart or reload a systemd service at the end of the host's run when the resource changed. */
export interface Notify {
  action: 'reload' | 'restart'
  service: string
}

interface Notifies {
  notify?: Notify[]
}

/**
 * A check that a change did not break the host, run over a fresh SSH connection after the host's changes and
 * handlers: when the login or the command fails, the files of every changed resource carrying it are restored (and
 * their services reloaded or restarted again). sshd_config changes carry one so the operator is never locked out.
 */
export interface Verification {
  /** Run as root on the new connection; exit status 0 means the change is good. */
  command: string
  /** What it proves, for messages: `a new SSH login works`. */
  description: string
}

interface Verified {
  verify?: Verification
}

export interface Ownership {
  group: string
  /** Octal permission bits, e.g. 0o644. */
  mode: number
  owner: string
}

export interface FileResource extends Notifies, Ownership, Verified {
  content: Buffer | string
  kind: 'file'
  path: string
  /** Content never shown in diffs or output. */
  secret?: boolean
  /** A command that must accept the new file before it replaces the old one; %s is the new file's path. */
  validate?: string
}

export interface DirectoryResource extends Notifies, Ownership {
  kind: 'directory'
  path: string
}

export interface SymlinkResource extends Notifies {
  kind: 'symlink'
  path: string
  target: string
}

export interface AbsentResource extends Notifies {
  kind: 'absent'
  path: string
}

export interface GroupResource {
  gid?: number
  kind: 'group'
  name: string
}

export interface UserResource {
  group: string
  home: string
  kind: 'user'
  name: string
  shell: string
  uid?: number
}

export interface PackageResource extends Notifies {
  kind: 'package'
  names: string[]
  state: 'absent' | 'present'
}

export interface ServiceResource {
  enabled?: boolean
  kind: 'service'
  /** Unit name; `.service` is implied when there is no suffix. */
  name: string
  state?: 'started' | 'stopped'
}

export interface KernelModuleResource {
  kind: 'kernel-module'
  name: string
}

export interface SysctlResource {
  kind: 'sysctl'
  name: string
  value: string
}

/** Keep one line in a file: replace the first line matching `match` (a JS regex source), or append. */
export interface LineResource extends Notifies, Ownership, Verified {
  kind: 'line'
  line: string
  match?: string
  path: string
  validate?: string
}

/** Keep a block between `# BEGIN <marker>` and `# END <marker>` lines in a file. */
export interface BlockResource extends Notifies, Ownership, Verified {
  block: string
  kind: 'block'
  marker: string
  path: string
  validate?: string
}

/** Run a command unless `creates` exists or `unless` succeeds (both checked in the probe). */
export interface CommandResource extends Notifies {
  creates?: string
  /** Stable name, shown in output and used as the resource id. */
  id: string
  kind: 'command'
  run: string
  unless?: string
}

/** A file pushed from the operator's machine (a verified release binary, for instance), compared by SHA-256. */
export interface ArtifactResource extends Notifies, Ownership {
  kind: 'artifact'
  localPath: string
  path: string
  sha256: string
}

export type Resource =
  | AbsentResource
  | ArtifactResource
  | BlockResource
  | CommandResource
  | DirectoryResource
  | FileResource
  | GroupResource
  | KernelModuleResource
  | LineResource
  | PackageResource
  | ServiceResource
  | SymlinkResource
  | SysctlResource
  | UserResource

export type ResourceKind = Resource['kind']

export function unitName(name: string): string {
  return /\.(service|timer|socket|mount|automount|target|path|slice)$/.test(name) ? name : `${name}.service`
}

/** A stable, readable id: `file:/etc/hosts`, `package:munge,slurmd`, `service:slurmd.service`. */
export function resourceId(resource: Resource): string {
  switch (resource.kind) {
    case 'absent':
    case 'artifact':
    case 'block':
    case 'directory':
    case 'file':
    case 'line':
    case 'symlink': {
      return `${resource.kind}:${resource.path}${resource.kind === 'block' ? `#${resource.marker}` : ''}`
    }
    case 'command': {
      return `command:${resource.id}`
    }
    case 'package': {
      return `package:${resource.names.join(',')}`
    }
    case 'service': {
      return `service:${unitName(resource.name)}`
    }
    case 'group':
    case 'kernel-module':
    case 'sysctl':
    case 'user': {
      return `${resource.kind}:${resource.name}`
    }
  }
}

/** Paths whose change needs `systemctl daemon-reload`. */
export function isSystemdUnitPath(path: string): boolean {
  return /^\/(etc|lib|usr\/lib)\/systemd\/system\//.test(path)
}

/** The paths whose current content the probe must return (files the engine compares or edits). */
export function managedPath(resource: Resource): string | undefined {
  return 'path' in resource ? resource.path : undefined
}

export const ROOT: Pick<Ownership, 'group' | 'owner'> = {group: 'root', owner: 'root'}

export function file(
  path: string,
  content: Buffer | string,
  options: Partial<Omit<FileResource, 'content' | 'kind' | 'path'>> = {},
): FileResource {
  return {...ROOT, mode: 0o644, ...options, content, kind: 'file', path}
}

export function directory(
  path: string,
  options: Partial<Omit<DirectoryResource, 'kind' | 'path'>> = {},
): DirectoryResource {
  return {...ROOT, mode: 0o755, ...options, kind: 'directory', path}
}

export function service(
  name: string,
  options: Omit<ServiceResource, 'kind' | 'name'> = {enabled: true, state: 'started'},
): ServiceResource {
  return {...options, kind: 'service', name}
}

export function packages(names: string[], state: PackageResource['state'] = 'present'): PackageResource {
  return {kind: 'package', names, state}
}

/** An apt repository in deb822 form, signed by a keyring the operator supplies (pinned by SHA-256). */
export interface AptRepository {
  components: string[]
  /** The keyring file on the operator's machine (resolved with resolvePinned), pushed to /etc/apt/keyrings/. */
  keyring: {localPath: string; sha256: string}
  /** File name stem: /etc/apt/sources.list.d/<name>.sources and /etc/apt/keyrings/<name>.<ext>. */
  name: string
  suites: string[]
  uris: string[]
}

/**
 * The keyring and the .sources file of an apt repository. A change to either makes the next package install in the
 * same plan refresh the lists first.
 */
export function aptRepository(repository: AptRepository): Resource[] {
  const extension = repository.keyring.localPath.endsWith('.asc') ? 'asc' : 'gpg'
  const keyring = `/etc/apt/keyrings/${repository.name}.${extension}`
  const sources = [
    'Types: deb',
    `URIs: ${repository.uris.join(' ')}`,
    `Suites: ${repository.suites.join(' ')}`,
    `Components: ${repository.components.join(' ')}`,
    `Signed-By: ${keyring}`,
  ]
  return [
    directory('/etc/apt/keyrings'),
    {
      ...ROOT,
      kind: 'artifact',
      localPath: repository.keyring.localPath,
      mode: 0o644,
      path: keyring,
      sha256: repository.keyring.sha256,
    },
    file(`/etc/apt/sources.list.d/${repository.name}.sources`, `${sources.join('\n')}\n`),
  ]
}
