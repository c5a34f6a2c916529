import {createTwoFilesPatch} from 'diff'
import {createHash} from 'node:crypto'

import type {Observed, PathState} from './observed.js'
import type {Notify, Ownership, Resource} from './resources.js'

import {isSystemdUnitPath, resourceId, unitName} from './resources.js'

/** What the apply script does for one resource. */
export type Action =
  | {group: string; mode: number; op: 'attrs'; owner: string; path: string}
  | {gid?: number; name: string; op: 'group'}
  | {group: string; localPath: string; mode: number; op: 'artifact'; owner: string; path: string; sha256: string}
  | {group: string; mode: number; op: 'mkdir'; owner: string; path: string}
  | {name: string; op: 'modprobe'}
  | {names: string[]; op: 'install'; update: boolean}
  | {names: string[]; op: 'purge'}
  | {name: string; op: 'sysctl'; tolerateFailure: boolean; value: string}
  | {op: 'command'; run: string}
  | {op: 'remove'; path: string}
  | {op: 'service'; disable: boolean; enable: boolean; start: boolean; stop: boolean; unit: string}
  | {op: 'symlink'; path: string; target: string}
  | {exists: boolean; group: string; home: string; name: string; op: 'user'; shell: string; uid?: number}
  | (Ownership & {content: Buffer; op: 'write'; path: string; validate?: string})

export interface PlannedResource {
  action?: Action
  /** Unified diff of a file's content (secret files never have one). */
  diff?: string
  id: string
  notify: Notify[]
  /** Why it must change, or why it cannot (warning), in a few words each. */
  reasons: string[]
  resource: Resource
  /** `ok`: already as wanted; `change`: the action makes it so; `warning`: cannot be made so here, not an error. */
  status: 'change' | 'ok' | 'warning'
  /** A systemd unit file changes: daemon-reload before services are touched. */
  unitChanged: boolean
}

const CONTAINERS = new Set([
  'container-other',
  'docker',
  'lxc',
  'lxc-libvirt',
  'openvz',
  'podman',
  'proot',
  'rkt',
  'systemd-nspawn',
  'wsl',
])
const APT_LISTS_MAX_AGE_SECONDS = 24 * 3600

export function isContainer(virtualization: string): boolean {
  return CONTAINERS.has(virtualization)
}

function sha256(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex')
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`
}

function attributeReasons(state: Extract<PathState, {exists: true}>, want: Ownership): string[] {
  const reasons: string[] = []
  if (state.owner !== want.owner || state.group !== want.group)
    reasons.push(`owner ${state.owner}:${state.group} -> ${want.owner}:${want.group}`)
  if ((state.mode & 0o7777) !== want.mode) reasons.push(`mode ${octal(state.mode)} -> ${octal(want.mode)}`)
  return reasons
}

function isText(content: Buffer): boolean {
  return !content.includes(0)
}

/** The full desired content of a file the resource edits (line or block), from what is there now. */
export function editedContent(resource: Extract<Resource, {kind: 'block' | 'line'}>, current: string): string {
  const lines = current === '' ? [] : current.replace(/\n$/, '').split('\n')
  if (resource.kind === 'line') {
    const pattern = resource.match === undefined ? undefined : new RegExp(resource.match)
    const index = lines.findIndex((line) => (pattern ? pattern.test(line) : line === resource.line))
    if (index === -1) lines.push(resource.line)
    else lines[index] = resource.line
    return `${lines.join('\n')}\n`
  }
  const begin = `# BEGIN ${resource.marker}`
  const end = `# END ${resource.marker}`
  const block = [begin, ...resource.block.replace(/\n$/, '').split('\n'), end]
  const start = lines.indexOf(begin)
  const stop = start === -1 ? -1 : lines.indexOf(end, start)
  if (start === -1 || stop === -1) lines.push(...block)
  else lines.splice(start, stop - start + 1, ...block)
  return `${lines.join('\n')}\n`
}

interface CompareContext {
  mask: (text: string) => string
  observed: Observed
  /** An apt source changes in this plan: refresh the lists before installing. */
  sourcesChanged: boolean
}

function planFile(
  resource: Extract<Resource, {kind: 'block' | 'file' | 'line'}>,
  state: PathState,
  context: CompareContext,
): Pick<PlannedResource, 'action' | 'diff' | 'reasons'> {
  const current = state.exists && state.type === 'file' ? (state.content ?? Buffer.alloc(0)) : Buffer.alloc(0)
  const desired =
    resource.kind === 'file'
      ? Buffer.from(resource.content)
      : Buffer.from(editedContent(resource, current.toString('utf8')))
  const want: Ownership = {group: resource.group, mode: resource.mode, owner: resource.owner}
  const validate = 'validate' in resource && resource.validate !== undefined ? {validate: resource.validate} : {}
  if (!state.exists) {
    return {
      action: {...want, ...validate, content: desired, op: 'write', path: resource.path},
      ...(resource.kind === 'file' && resource.secret
        ? {}
        : isText(desired)
          ? {diff: unifiedDiff(resource.path, '', desired.toString('utf8'), context)}
          : {}),
      reasons: ['absent'],
    }
  }
  if (state.type !== 'file')
    return {
      action: {...want, ...validate, content: desired, op: 'write', path: resource.path},
      reasons: [`is a ${state.type}, not a file`],
    }
  const contentDiffers = state.sha256 !== sha256(desired)
  const attributes = attributeReasons(state, want)
  if (contentDiffers) {
    const secret = resource.kind === 'file' && resource.secret === true
    const showable = !secret && isText(desired) && isText(current)
    return {
      action: {...want, ...validate, content: desired, op: 'write', path: resource.path},
      ...(showable
        ? {diff: unifiedDiff(resource.path, current.toString('utf8'), desired.toString('utf8'), context)}
        : {}),
      reasons: [secret ? 'secret content differs' : 'content differs', ...attributes],
    }
  }
  if (attributes.length > 0) return {action: {...want, op: 'attrs', path: resource.path}, reasons: attributes}
  return {reasons: []}
}

function unifiedDiff(path: string, before: string, after: string, context: CompareContext): string {
  const patch = createTwoFilesPatch(path, path, before, after, 'on host', 'planned', {context: 3})
  return context.mask(patch.split('\n').slice(2).join('\n'))
}

type Planned = Pick<PlannedResource, 'action' | 'diff' | 'reasons'> & {warning?: true}

function planResource(resource: Resource, context: CompareContext): Planned {
  const {observed} = context
  const pathState = (path: string): PathState => observed.paths.get(path) ?? {exists: false}
  switch (resource.kind) {
    case 'file':
    case 'line':
    case 'block': {
      return planFile(resource, pathState(resource.path), context)
    }
    case 'directory': {
      const state = pathState(resource.path)
      const want = {group: resource.group, mode: resource.mode, owner: resource.owner, path: resource.path}
      if (!state.exists) return {action: {...want, op: 'mkdir'}, reasons: ['absent']}
      if (state.type !== 'directory')
        return {action: {...want, op: 'mkdir'}, reasons: [`is a ${state.type}, not a directory`]}
      const reasons = attributeReasons(state, resource)
      return reasons.length > 0 ? {action: {...want, op: 'attrs'}, reasons} : {reasons}
    }
    case 'symlink': {
      const state = pathState(resource.path)
      if (state.exists && state.type === 'symlink' && state.linkTarget === resource.target) return {reasons: []}
      const now = state.exists
        ? state.type === 'symlink'
          ? `points to ${state.linkTarget}`
          : `is a ${state.type}`
        : 'absent'
      return {action: {op: 'symlink', path: resource.path, target: resource.target}, reasons: [now]}
    }
    case 'absent': {
      const state = pathState(resource.path)
      if (!state.exists) return {reasons: []}
      if (state.type === 'directory') return {reasons: ['is a directory; remove it by hand'], warning: true}
      return {action: {op: 'remove', path: resource.path}, reasons: ['present']}
    }
    case 'artifact': {
      const state = pathState(resource.path)
      const want = {group: resource.group, mode: resource.mode, owner: resource.owner}
      const action = {
        ...want,
        localPath: resource.localPath,
        op: 'artifact' as const,
        path: resource.path,
        sha256: resource.sha256,
      }
      if (!state.exists) return {action, reasons: ['absent']}
      if (state.type !== 'file' || state.sha256 !== resource.sha256) return {action, reasons: ['sha256 differs']}
      const reasons = attributeReasons(state, want)
      return reasons.length > 0 ? {action: {...want, op: 'attrs', path: resource.path}, reasons} : {reasons}
    }
    case 'group': {
      if (observed.groups.get(resource.name)) return {reasons: []}
      return {
        action: {name: resource.name, op: 'group', ...(resource.gid === undefined ? {} : {gid: resource.gid})},
        reasons: ['absent'],
      }
    }
    case 'user': {
      const state = observed.users.get(resource.name)
      const action = {
        exists: Boolean(state),
        group: resource.group,
        home: resource.home,
        name: resource.name,
        op: 'user' as const,
        shell: resource.shell,
        ...(resource.uid === undefined ? {} : {uid: resource.uid}),
      }
      if (!state) return {action, reasons: ['absent']}
      const reasons = [
        ...(state.home === resource.home ? [] : [`home ${state.home} -> ${resource.home}`]),
        ...(state.shell === resource.shell ? [] : [`shell ${state.shell} -> ${resource.shell}`]),
        ...(state.group === resource.group ? [] : [`group ${state.group} -> ${resource.group}`]),
      ]
      return reasons.length > 0 ? {action, reasons} : {reasons}
    }
    case 'package': {
      const installed = (name: string) => observed.packages.get(name)?.installed === true
      if (resource.state === 'present') {
        const missing = resource.names.filter((name) => !installed(name))
        if (missing.length === 0) return {reasons: []}
        const stale =
          observed.facts.aptListsMtime === 0 ||
          observed.facts.now - observed.facts.aptListsMtime > APT_LISTS_MAX_AGE_SECONDS
        return {
          action: {names: missing, op: 'install', update: stale || context.sourcesChanged},
          reasons: [`not installed: ${missing.join(' ')}`],
        }
      }
      const present = resource.names.filter((name) => installed(name))
      return present.length === 0
        ? {reasons: []}
        : {action: {names: present, op: 'purge'}, reasons: [`installed: ${present.join(' ')}`]}
    }
    case 'service': {
      const unit = unitName(resource.name)
      const state = observed.units.get(unit)
      const found = state !== undefined && state.loadState === 'loaded'
      const enabledNow =
        found && /^(enabled|enabled-runtime|static|alias|indirect|generated|linked)/.test(state.unitFileState)
      const activeNow = found && /^(active|activating|reloading)$/.test(state.activeState)
      const conditionFailed = found && state.conditionResult === 'no' && !activeNow
      const enable = resource.enabled === true && !enabledNow
      const disable = resource.enabled === false && found && state.unitFileState.startsWith('enabled')
      const start = resource.state === 'started' && !activeNow && !conditionFailed
      const stop = resource.state === 'stopped' && activeNow
      const reasons = [
        ...(enable ? ['not enabled'] : []),
        ...(disable ? ['enabled'] : []),
        ...(start ? [found ? `${state.activeState}` : 'not loaded yet'] : []),
        ...(stop ? ['running'] : []),
      ]
      if (reasons.length > 0) return {action: {disable, enable, op: 'service', start, stop, unit}, reasons}
      if (resource.state === 'started' && conditionFailed)
        return {
          reasons: [
            `not started: its unit conditions (Condition*=) do not hold on this host (${observed.facts.virtualization === 'none' ? 'not virtualized' : observed.facts.virtualization})`,
          ],
          warning: true,
        }
      return {reasons: []}
    }
    case 'kernel-module': {
      const state = observed.modules.get(resource.name)
      if (state === 'loaded') return {reasons: []}
      if (state === 'builtin-kernel')
        return {reasons: ['this kernel has no loadable modules: it must be built in'], warning: true}
      if (isContainer(observed.facts.virtualization)) {
        return {
          reasons: [
            `not loaded, and a ${observed.facts.virtualization} container cannot load modules: load it on the host`,
          ],
          warning: true,
        }
      }
      return {action: {name: resource.name, op: 'modprobe'}, reasons: ['not loaded']}
    }
    case 'sysctl': {
      const current = observed.sysctls.get(resource.name)
      const normalise = (value: string) => value.trim().split(/\s+/).join(' ')
      if (current !== undefined && current !== null && normalise(current) === normalise(resource.value))
        return {reasons: []}
      return {
        action: {
          name: resource.name,
          op: 'sysctl',
          tolerateFailure: isContainer(observed.facts.virtualization),
          value: resource.value,
        },
        reasons: [
          current === null || current === undefined ? 'not present in this kernel' : `${current} -> ${resource.value}`,
        ],
      }
    }
    case 'command': {
      const guard = observed.guards.get(resource.id)
      if (guard?.createsExists) return {reasons: []}
      if (guard?.unlessStatus === 0) return {reasons: []}
      return {
        action: {op: 'command', run: resource.run},
        reasons: [
          resource.creates !== undefined
            ? `${resource.creates} absent`
            : resource.unless !== undefined
              ? 'unless-check failed'
              : 'planned by the role',
        ],
      }
    }
  }
}

/** The state a path will have once a planned write has run, so later resources on the same file build on it. */
function afterWrite(action: Extract<Action, {op: 'write'}>): PathState {
  return {
    content: action.content,
    exists: true,
    group: action.group,
    mode: action.mode,
    owner: action.owner,
    sha256: sha256(action.content),
    size: action.content.length,
    type: 'file',
  }
}

/** Compare one host's resources with what the probe saw; pure. Resources editing one file see each other's edits. */
export function compare(
  resources: readonly Resource[],
  observed: Observed,
  mask: (text: string) => string,
): PlannedResource[] {
  const sourcesChanged = resources.some((resource) => {
    if (!(resource.kind === 'file' || resource.kind === 'artifact') || !resource.path.startsWith('/etc/apt/'))
      return false
    const state = observed.paths.get(resource.path) ?? {exists: false}
    if (resource.kind === 'artifact') return !state.exists || state.type !== 'file' || state.sha256 !== resource.sha256
    return planFile(resource, state, {mask, observed, sourcesChanged: false}).action !== undefined
  })
  const paths = new Map(observed.paths)
  const context: CompareContext = {mask, observed: {...observed, paths}, sourcesChanged}
  return resources.map((resource): PlannedResource => {
    const planned = planResource(resource, context)
    const changes = planned.action !== undefined
    if (planned.action?.op === 'write') paths.set(planned.action.path, afterWrite(planned.action))
    const notify = changes && 'notify' in resource ? (resource.notify ?? []) : []
    return {
      id: resourceId(resource),
      notify,
      reasons: planned.reasons,
      resource,
      status: changes ? 'change' : planned.warning ? 'warning' : 'ok',
      unitChanged: changes && 'path' in resource && isSystemdUnitPath(resource.path),
      ...(planned.action ? {action: planned.action} : {}),
      ...(planned.diff ? {diff: planned.diff} : {}),
    }
  })
}
