import type {SourceLocation} from '../core/errors.js'
import {isUsableAddress} from './address.js'
import type {VarEntry, VarTable} from './builder.js'
import type {Problem} from './problems.js'

type Check = {expected: string; ok: (value: unknown) => boolean}

const isString: Check = {expected: 'a string', ok: (value) => typeof value === 'string'}
const isBoolean: Check = {expected: 'a boolean (true or false)', ok: (value) => typeof value === 'boolean'}
const isInteger: Check = {expected: 'an integer', ok: (value) => Number.isInteger(value)}
const isPort: Check = {
  expected: 'an integer from 1 to 65535',
  ok: (value) => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65535,
}

/** Variables the tool itself reads, and what they must hold. */
const TYPED_VARS: Record<string, Check> = {
  ansible_become: isBoolean,
  ansible_group_priority: isInteger,
  ansible_port: isPort,
  ansible_ssh_common_args: isString,
  ansible_ssh_extra_args: isString,
  ansible_ssh_private_key_file: isString,
  ansible_user: isString,
  goldentooth_lab: isBoolean,
  goldentooth_ssh_socket: isString,
}

function isTemplate(value: unknown): boolean {
  return typeof value === 'string' && (value.includes('{{') || value.includes('{%'))
}

function show(value: unknown): string {
  if (typeof value === 'string') return `the string '${value}'`
  if (Array.isArray(value)) return 'a list'
  if (value !== null && typeof value === 'object') return 'a mapping'
  return String(value)
}

/** A problem when a variable the tool relies on has the wrong type (templates are left for later). */
export function checkVar(name: string, entry: VarEntry): Problem | undefined {
  const check = TYPED_VARS[name]
  if (!check || entry.locked || isTemplate(entry.value) || check.ok(entry.value)) return undefined
  return {location: entry.location, message: `${name} must be ${check.expected}, not ${show(entry.value)}`}
}

export function checkVars(vars: VarTable): Problem[] {
  return [...vars].flatMap(([name, entry]) => checkVar(name, entry) ?? [])
}

/** A problem when the host has no address a connection could use (ansible_host, or else its name). */
export function checkAddress(
  host: string,
  ansibleHost: VarEntry | undefined,
  hostLocation: SourceLocation,
): Problem | undefined {
  if (ansibleHost) {
    const {value, location} = ansibleHost
    if (ansibleHost.locked || isTemplate(value)) return undefined
    if (typeof value === 'string' && isUsableAddress(value)) return undefined
    return {
      location,
      message:
        typeof value === 'string'
          ? `ansible_host '${value}' of host '${host}' is not an IPv4/IPv6 address or DNS name`
          : `ansible_host of host '${host}' must be an address string, not ${show(value)}`,
    }
  }
  if (isUsableAddress(host)) return undefined
  return {
    hint: 'set ansible_host to its address, or rename the host',
    location: hostLocation,
    message: `host name '${host}' cannot be used as an address (not an IPv4/IPv6 address or DNS name)`,
  }
}
