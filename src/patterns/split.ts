import {parseAddress} from '../inventory/address.js'

/**
 * Ansible's split_host_pattern(): a comma-separated list; else one address or range (IPv6 and `[x:y]` keep their
 * colons); else the old `:`-separated form, where whitespace separates too.
 */
export function splitHostPattern(pattern: string): string[] {
  let parts: string[]
  if (pattern.includes(',')) parts = pattern.split(',')
  else if (parseAddress(pattern, true)) parts = [pattern]
  else parts = pattern.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? []
  return parts.map((p) => p.trim()).filter((p) => p !== '')
}

/** Ansible's order_patterns(): plain patterns first, then `&` intersections, then `!` exclusions; no plain one means all. */
export function orderPatterns(patterns: string[]): string[] {
  const regular = patterns.filter((p) => p[0] !== '!' && p[0] !== '&')
  const intersections = patterns.filter((p) => p[0] === '&')
  const exclusions = patterns.filter((p) => p[0] === '!')
  return [...(regular.length > 0 ? regular : ['all']), ...intersections, ...exclusions]
}

export type Subscript = {start: number; end?: number; dash: boolean}

const WITH_SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/

/** Ansible's _split_subscript(): `g[1]`, `g[-1]`, `g[1:3]`, `g[1:]` (and the removed `g[1-3]`); not for `~regex`. */
export function splitSubscript(pattern: string): {expr: string; subscript?: Subscript} {
  if (pattern.startsWith('~')) return {expr: pattern}
  const match = WITH_SUBSCRIPT.exec(pattern)
  if (!match) return {expr: pattern}
  const [, expr, index, start, separator, end] = match
  if (index !== undefined) return {expr: expr!, subscript: {dash: false, start: Number(index)}}
  return {expr: expr!, subscript: {dash: separator === '-', end: end ? Number(end) : -1, start: Number(start)}}
}

/**
 * Ansible's _apply_subscript(), quirks included: `[x:0]` selects only x (end 0 is taken as "no end"), an open end
 * runs to the last host. Returns undefined for an index outside the list (Ansible's IndexError).
 */
export function applySubscript(hosts: string[], subscript: Subscript | undefined): string[] | undefined {
  if (hosts.length === 0 || !subscript) return hosts
  const {start} = subscript
  let {end} = subscript
  if (end) {
    if (end === -1) end = hosts.length - 1
    return hosts.slice(start, end + 1)
  }
  const index = start < 0 ? hosts.length + start : start
  return index >= 0 && index < hosts.length ? [hosts[index]!] : undefined
}
