import {homedir} from 'node:os'

import type {Filter} from '../environment.js'
import {TemplateFault} from '../fault.js'
import {checkDefined, iterate, tuple, typeName} from '../values.js'
import {define} from './define.js'

function path(value: unknown): string {
  checkDefined(value)
  if (typeof value !== 'string') {
    throw new TemplateFault(`expected str, bytes or os.PathLike object, not ${typeName(value)}`)
  }
  return value
}

function dirname(value: string): string {
  const head = value.slice(0, value.lastIndexOf('/') + 1)
  return head && !/^\/+$/.test(head) ? head.replace(/\/+$/, '') : head
}

/** posixpath.splitext: the extension is the last dot's suffix, unless the name only starts with dots. */
function splitext(value: string): [string, string] {
  const separator = value.lastIndexOf('/')
  const dot = value.lastIndexOf('.')
  if (dot > separator && /[^.]/.test(value.slice(separator + 1, dot))) return [value.slice(0, dot), value.slice(dot)]
  return [value, '']
}

/** posixpath.expanduser for `~` and `~/…` (the home of the user running goldentooth); `~user` is left as is. */
function expanduser(value: string): string {
  if (!value.startsWith('~')) return value
  const end = value.indexOf('/', 1) === -1 ? value.length : value.indexOf('/', 1)
  if (end !== 1) return value
  const home = (process.env.HOME ?? homedir()).replace(/\/+$/, '')
  return home + value.slice(end) || '/'
}

function join(parts: string[]): string {
  let out = parts[0] ?? ''
  for (const part of parts.slice(1)) {
    if (part.startsWith('/')) out = part
    else if (!out || out.endsWith('/')) out += part
    else out += `/${part}`
  }
  return out
}

export const PATH_FILTERS: Record<string, Filter> = {
  basename: define([], 0, (value) => {
    const text = path(value)
    return text.slice(text.lastIndexOf('/') + 1)
  }),
  dirname: define([], 0, (value) => dirname(path(value))),
  expanduser: define([], 0, (value) => expanduser(path(value))),
  path_join: define([], 0, (value) => {
    checkDefined(value)
    if (typeof value === 'string') return value
    if (!Array.isArray(value))
      throw new TemplateFault(`|path_join expects string or sequence, got ${typeName(value)} instead.`)
    return join(iterate(value).map(path))
  }),
  splitext: define([], 0, (value) => tuple(splitext(path(value)))),
}
