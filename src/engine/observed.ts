import type {ExecResult} from '../transport/types.js'
import type {Facts} from './facts.js'
import type {ProbeSpec} from './probe-spec.js'

import {createHash} from 'node:crypto'

import {factsFromProbe} from './facts.js'

export type PathState =
  | {exists: false}
  | {
      /** Present only for regular files the probe was asked to read. */
      content?: Buffer
      exists: true
      group: string
      linkTarget?: string
      mode: number
      owner: string
      sha256?: string
      size: number
      type: 'directory' | 'file' | 'other' | 'symlink'
    }

export interface UnitState {
  activeState: string
  /** yes or no; '' when the conditions were never checked (a unit that never started reports `no`). */
  conditionResult: string
  loadState: string
  subState: string
  unitFileState: string
}

export interface UserState {
  group: string
  home: string
  shell: string
  uid: number
}

export interface PendingHandler {
  action: 'reload' | 'restart'
  service: string
}

/** What the probe saw on one host. */
export interface Observed {
  facts: Facts
  groups: Map<string, boolean>
  guards: Map<string, {createsExists?: boolean; unlessStatus?: number}>
  modules: Map<string, 'builtin-kernel' | 'loaded' | 'missing'>
  packages: Map<string, {installed: boolean; version: string}>
  /** A unit file changed in an earlier run that ended before systemd was reloaded. */
  daemonReloadPending: boolean
  paths: Map<string, PathState>
  pending: PendingHandler[]
  sysctls: Map<string, null | string>
  units: Map<string, UnitState>
  users: Map<string, UserState | null>
}

const S_IFMT = 0o170000
const TYPES: Record<number, 'directory' | 'file' | 'symlink'> = {
  0o040000: 'directory',
  0o100000: 'file',
  0o120000: 'symlink',
}

function pathState(text: string): PathState {
  if (text === 'absent') return {exists: false}
  const [statLine = '', linkTarget = '', contentLine = ''] = text.split('\n')
  const [rawMode = '0', mode = '0', owner = '', group = '', size = '0'] = statLine.split(' ')
  const type = TYPES[Number.parseInt(rawMode, 16) & S_IFMT] ?? 'other'
  const [label = '', value = ''] = contentLine.split(' ')
  const content = label === 'base64' ? Buffer.from(value, 'base64') : undefined
  const sha256 = content ? createHash('sha256').update(content).digest('hex') : label
  return {
    exists: true,
    group,
    mode: Number.parseInt(mode, 8),
    owner,
    size: Number.parseInt(size, 10),
    type,
    ...(linkTarget ? {linkTarget} : {}),
    ...(sha256 ? {sha256} : {}),
    ...(content ? {content} : {}),
  }
}

function units(text: string): Map<string, UnitState> {
  const result = new Map<string, UnitState>()
  for (const block of text.split(/\n\s*\n/)) {
    const values = new Map(
      block.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    )
    const id = values.get('Id')
    if (!id) continue
    result.set(id, {
      activeState: values.get('ActiveState') ?? '',
      conditionResult: values.get('ConditionTimestamp') ? (values.get('ConditionResult') ?? '') : '',
      loadState: values.get('LoadState') ?? '',
      subState: values.get('SubState') ?? '',
      unitFileState: values.get('UnitFileState') ?? '',
    })
  }
  return result
}

/** The probe's items by `TAG KEY`, split at the boundary its first line announces; none if it printed no boundary. */
function probeItems(output: string): Map<string, string> {
  const items = new Map<string, string>()
  const boundary = /^GT-PROBE-[0-9a-f]{32}$/m.exec(output)?.[0]
  if (!boundary) return items
  for (const chunk of output
    .slice(output.indexOf(boundary) + boundary.length)
    .split(`\n${boundary} `)
    .slice(1)) {
    const newline = chunk.indexOf('\n')
    items.set(newline === -1 ? chunk : chunk.slice(0, newline), newline === -1 ? '' : chunk.slice(newline + 1))
  }
  return items
}

/** Parse the probe's output back into what was asked in `spec`. */
export function parseProbe(output: string, spec: ProbeSpec): Observed {
  return fromItems(probeItems(output), spec)
}

function fromItems(items: Map<string, string>, spec: ProbeSpec): Observed {
  const observed: Omit<Observed, 'facts'> = {
    daemonReloadPending: false,
    groups: new Map(),
    guards: new Map(),
    modules: new Map(),
    packages: new Map(),
    paths: new Map(),
    pending: [],
    sysctls: new Map(),
    units: new Map(),
    users: new Map(),
  }
  const facts = new Map<string, string>()
  for (const [item, text] of items) {
    const [tag, key = ''] = item.split(' ')
    const index = Number.parseInt(key, 10)
    switch (tag) {
      case 'F': {
        facts.set(key, text)
        break
      }
      case 'P': {
        const path = spec.paths[index]?.path
        if (path !== undefined) observed.paths.set(path, pathState(text))
        break
      }
      case 'U': {
        const name = spec.users[index]
        if (name === undefined) break
        const [passwd = '', group = ''] = text.split('\n')
        const fields = passwd.split(':')
        observed.users.set(
          name,
          fields.length >= 7
            ? {group, home: fields[5]!, shell: fields[6]!, uid: Number.parseInt(fields[2]!, 10)}
            : null,
        )
        break
      }
      case 'G': {
        const name = spec.groups[index]
        if (name !== undefined) observed.groups.set(name, text.trim() !== '')
        break
      }
      case 'M': {
        const name = spec.modules[index]
        if (name !== undefined) observed.modules.set(name, text as 'builtin-kernel' | 'loaded' | 'missing')
        break
      }
      case 'S': {
        const name = spec.sysctls[index]
        if (name !== undefined) observed.sysctls.set(name, text === '' ? null : text.trim())
        break
      }
      case 'C':
      case 'X': {
        const guard = spec.guards[index]
        if (guard === undefined) break
        const state = observed.guards.get(guard.id) ?? {}
        if (tag === 'C') state.createsExists = text === 'yes'
        else state.unlessStatus = Number.parseInt(text, 10)
        observed.guards.set(guard.id, state)
        break
      }
      case 'K': {
        for (const row of text.split('\n')) {
          const [name, status = '', version = ''] = row.split('\t')
          if (name) observed.packages.set(name, {installed: status.startsWith('ii'), version})
        }
        break
      }
      case 'D': {
        observed.units = units(text)
        break
      }
      case 'Q': {
        for (const marker of text.split('\n')) {
          if (marker.trim() === 'daemon-reload') observed.daemonReloadPending = true
          const pending = /^(reload|restart)@(.+)$/.exec(marker.trim())
          if (pending) observed.pending.push({action: pending[1] as 'reload' | 'restart', service: pending[2]!})
        }
        break
      }
    }
  }
  return {...observed, facts: factsFromProbe(facts)}
}

/** The probe's result, or an error saying why the probe did not run (sudo refused, no sh, timeout). */
export function observedFrom(result: ExecResult, spec: ProbeSpec): Observed {
  if (result.timedOut) throw new Error('the probe timed out')
  const items = probeItems(result.stdout)
  if (!items.has('F now')) {
    const detail = result.stderr.trim().split('\n').slice(-3).join(' / ') || `exit code ${result.exitCode}`
    throw new Error(`the probe did not run: ${detail}`)
  }
  return fromItems(items, spec)
}

/** `into` with each of its maps extended by the same map of `extra`, a later probe of more items (its entries win). */
export function mergeObserved(into: Observed, extra: Observed): Observed {
  const more = new Map<string, unknown>(Object.entries(extra))
  const maps = Object.entries(into).flatMap(([key, value]: [string, unknown]) => {
    const added = more.get(key)
    return value instanceof Map && added instanceof Map ? [[key, new Map([...value, ...added])] as const] : []
  })
  return {...into, ...Object.fromEntries(maps)}
}
