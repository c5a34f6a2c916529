import {readFileSync, statSync} from 'node:fs'

import {UsageError} from '../core/errors.js'
import type {Inventory} from '../inventory/model.js'
import {closeMatch, nearest} from '../inventory/suggest.js'
import {matchLists} from './match.js'
import {applySubscript, orderPatterns, splitHostPattern, splitSubscript} from './split.js'

export interface Selection {
  hosts: string[]
  /** Sub-patterns that matched nothing (Ansible's "Could not match supplied host pattern"), with a suggestion. */
  warnings: string[]
}

export interface SelectOptions {
  /** Ansible's --limit: a pattern (or `@FILE` of host names, one per line) the selection is narrowed to. */
  limit?: string | undefined
}

const GLOB_OR_REGEX = /[.?*[]/

function suggestion(inventory: Inventory, expr: string): string {
  if (expr.startsWith('~') || /[?*[]/.test(expr)) return ''
  const group = closeMatch(expr, inventory.groups.keys())
  if (group) return ` (did you mean group '${group}'?)`
  const host = closeMatch(expr, inventory.hosts.keys())
  return host ? ` (did you mean host '${host}'?)` : ''
}

/** For a selection that came out empty: the nearest group or host name, however far. */
function nearestName(inventory: Inventory, expr: string): string {
  const name = nearest(expr.replace(/^[!&~]/, ''), [...inventory.groups.keys(), ...inventory.hosts.keys()])
  if (name === undefined) return ''
  return `; the closest ${inventory.groups.has(name) ? 'group' : 'host'} is '${name}'`
}

/** Ansible's InventoryManager pattern evaluation, sharing one per-pattern cache like one get_hosts() call. */
class Evaluator {
  readonly warnings: string[] = []
  private readonly cache = new Map<string, string[]>()

  private readonly inventory: Inventory

  constructor(inventory: Inventory) {
    this.inventory = inventory
  }

  /** _evaluate_patterns(): union of plain patterns, then `&` intersections, then `!` exclusions. */
  evaluate(patterns: string[]): string[] {
    let hosts: string[] = []
    for (const p of orderPatterns(patterns)) {
      if (this.inventory.hosts.has(p)) {
        hosts.push(p)
        continue
      }
      const that = this.matchOne(p)
      if (p[0] === '!') {
        const excluded = new Set(that)
        hosts = hosts.filter((h) => !excluded.has(h))
      } else if (p[0] === '&') {
        const kept = new Set(that)
        hosts = hosts.filter((h) => kept.has(h))
      } else {
        const existing = new Set(hosts)
        hosts.push(...that.filter((h) => !existing.has(h)))
      }
    }
    return hosts
  }

  /** _match_one_pattern(): one pattern without its `&`/`!`, with an optional subscript. */
  private matchOne(raw: string): string[] {
    const pattern = raw[0] === '&' || raw[0] === '!' ? raw.slice(1) : raw
    const cached = this.cache.get(pattern)
    if (cached) return cached
    if (pattern === '') throw new UsageError(`host pattern '${raw}' has nothing after '${raw[0]}'`)
    const {expr, subscript} = splitSubscript(pattern)
    if (subscript?.dash) {
      this.warnings.push(`pattern '${pattern}': use [x:y] inclusive subscripts instead of [x-y] (removed in Ansible)`)
    }
    const hosts = applySubscript(this.enumerate(expr), subscript)
    if (!hosts) {
      throw new UsageError(
        `no hosts matched the subscripted pattern '${pattern}'`,
        `'${expr}' has ${this.enumerate(expr).length} hosts; subscripts count from 0`,
      )
    }
    this.cache.set(pattern, hosts)
    return hosts
  }

  /** _enumerate_matches(): every host of every matching group, then matching host names when that makes sense. */
  private enumerate(expr: string): string[] {
    let matched: string[][]
    try {
      matched = matchLists(expr, [this.inventory.groups.keys(), this.inventory.hosts.keys()])
    } catch (error) {
      if (error instanceof UsageError) throw error
      throw new UsageError(`invalid host pattern '${expr}': ${(error as Error).message}`)
    }
    const [groups = [], hosts = []] = matched
    const hostNames = groups.length === 0 || expr[0] === '~' || GLOB_OR_REGEX.test(expr) ? hosts : []
    const results = [...groups.flatMap((g) => this.inventory.groupHosts(g)), ...hostNames]
    if (results.length === 0 && groups.length === 0 && expr !== 'all') {
      const warning = `pattern '${expr}' matched no hosts${suggestion(this.inventory, expr)}`
      if (!this.warnings.includes(warning)) this.warnings.push(warning)
    }
    return results
  }
}

/** Ansible's subset(): `@FILE` entries contribute the file's lines (host names, as in a retry file). */
function limitPatterns(limit: string): string[] {
  return splitHostPattern(limit).flatMap((part) => {
    if (part[0] !== '@') return [part]
    const file = part.slice(1)
    const info = statSync(file, {throwIfNoEntry: false})
    if (!info) throw new UsageError(`limit file not found: ${file}`)
    if (!info.isFile()) throw new UsageError(`a limit starting with '@' must be a file, not a directory: ${file}`)
    return readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => line.trim())
  })
}

/**
 * The hosts an Ansible host pattern selects, in Ansible's order (differential-tested against `ansible --list-hosts`).
 * Throws UsageError (exit 2) for an empty pattern, or when nothing is selected, naming the closest group or host.
 */
export function selectHosts(inventory: Inventory, pattern: string, options: SelectOptions = {}): Selection {
  const patterns = splitHostPattern(pattern)
  if (patterns.length === 0) {
    throw new UsageError('empty host pattern', "give a group, a host or a pattern such as 'all'")
  }
  const evaluator = new Evaluator(inventory)
  let hosts = evaluator.evaluate(patterns)
  if (options.limit !== undefined) {
    const subset = limitPatterns(options.limit)
    if (subset.length > 0) {
      const allowed = new Set(evaluator.evaluate(subset.filter((p) => p !== '')))
      hosts = hosts.filter((h) => allowed.has(h))
    }
  }
  hosts = [...new Set(hosts)]
  const {warnings} = evaluator
  if (hosts.length === 0) {
    const unmatched = warnings.filter((w) => w.includes('matched no hosts'))
    const limit = options.limit === undefined ? '' : ` with --limit '${options.limit}'`
    const named = unmatched.some((warning) => warning.includes('did you mean'))
    throw new UsageError(
      unmatched.length > 0
        ? `${unmatched.join('; ')}${named ? '' : nearestName(inventory, pattern)}`
        : `host pattern '${pattern}'${limit} selects no hosts`,
      'see the groups and their hosts with: goldentooth list_groups',
    )
  }
  return {hosts, warnings}
}
