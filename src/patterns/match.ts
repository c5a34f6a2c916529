import {UsageError} from '../core/errors.js'
import {matchWithin} from './timed-match.js'

const escapeRegExp = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')

/**
 * Python's fnmatch.translate() as a JavaScript regular expression (whole-string, case-sensitive match). As in Python,
 * each `*` followed by more pattern and another `*` matches as little as it can, atomically (JavaScript spells the
 * atomic group `(?>.*?X)` as `(?=(.*?X))\N`): a backtracking `.*X.*X…` takes exponential time on names that fail.
 */
export function fnmatchRegExp(pattern: string): RegExp {
  const pieces = ['']
  let i = 0
  const n = pattern.length
  while (i < n) {
    const c = pattern[i++]!
    if (c === '*') {
      if (pieces.length === 1 || pieces.at(-1) !== '') pieces.push('')
      continue
    }
    let piece: string
    if (c === '?') {
      piece = '.'
    } else if (c === '[') {
      let j = i
      if (j < n && pattern[j] === '!') j++
      if (j < n && pattern[j] === ']') j++
      while (j < n && pattern[j] !== ']') j++
      if (j >= n) {
        piece = '\\['
      } else {
        piece = bracket(pattern, i, j)
        i = j + 1
      }
    } else {
      piece = escapeRegExp(c)
    }
    pieces[pieces.length - 1] += piece
  }
  const [head, ...starred] = pieces
  const body = starred.map((fixed, k) => (k === starred.length - 1 ? `.*${fixed}` : `(?=(.*?${fixed}))\\${k + 1}`))
  return new RegExp(`^(?:${head}${body.join('')})$`, 's')
}

/** One `[...]` set, translated as Python does (ranges in reverse order are dropped, `!` negates). */
function bracket(pattern: string, start: number, end: number): string {
  const negated = pattern[start] === '!'
  let chunks: string[]
  const inner = pattern.slice(start, end)
  if (!inner.includes('-')) {
    chunks = [inner]
  } else {
    chunks = []
    let i = start
    let k = negated ? start + 2 : start + 1
    for (;;) {
      k = pattern.indexOf('-', k)
      if (k < 0 || k >= end) break
      chunks.push(pattern.slice(i, k))
      i = k + 1
      k += 3
    }
    const last = pattern.slice(i, end)
    if (last) chunks.push(last)
    else chunks[chunks.length - 1] += '-'
    for (let c = chunks.length - 1; c > 0; c--) {
      if (chunks[c - 1]!.at(-1)! > chunks[c]![0]!) {
        chunks[c - 1] = chunks[c - 1]!.slice(0, -1) + chunks[c]!.slice(1)
        chunks.splice(c, 1)
      }
    }
  }
  let set = chunks.map((chunk) => chunk.replace(/[\\\]-]/g, '\\$&')).join('-')
  if (!set) return '(?!)'
  if (set === '!') return '.'
  if (set[0] === '!') set = `^${set.slice(1)}`
  else if (set[0] === '^' || set[0] === '[') set = `\\${set}`
  return `[${set}]`
}

/**
 * A Python regular expression (Ansible's `~regex` patterns) as a JavaScript one that matches like re.match: anchored
 * at the start only. Covers the Python-only spellings: (?P<name>...), (?P=name), \A, \Z, leading inline flags.
 */
export function pythonRegExp(source: string): RegExp {
  let flags = 'y'
  let body = source
  const inline = /^\(\?([aiLmsux]+)\)/.exec(body)
  if (inline) {
    body = body.slice(inline[0].length)
    for (const flag of inline[1]!) if ('ims'.includes(flag)) flags += flag
  }
  body = body
    .replace(/\(\?P</g, '(?<')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$(?![\\s\\S])')
  return new RegExp(body, flags)
}

/** How long a `~regex` may take over all names: far longer than a regular expression that does not backtrack needs. */
const REGEX_LIMIT_MS = 2000

/**
 * Ansible's _match_list() over each of `lists`: the items a pattern (glob, or `~regex`) matches, in their order. A
 * regex runs in a worker thread, once over all the lists, and is stopped with a UsageError after REGEX_LIMIT_MS.
 */
export function matchLists(pattern: string, lists: Iterable<string>[]): string[][] {
  const arrays = lists.map((list) => [...list])
  if (!pattern.startsWith('~')) {
    const regexp = fnmatchRegExp(pattern)
    return arrays.map((items) => items.filter((item) => regexp.test(item)))
  }
  const hits = matchWithin(pythonRegExp(pattern.slice(1)), arrays.flat(), REGEX_LIMIT_MS)
  if (!hits) {
    throw new UsageError(
      `host pattern '${pattern}' was stopped: matching it took more than ${REGEX_LIMIT_MS / 1000} s`,
      'nested repetition such as (a+)+ makes a regular expression backtrack exponentially: simplify it, or use a glob',
    )
  }
  let offset = 0
  return arrays.map((items) => {
    const matched = items.filter((_, i) => hits[offset + i])
    offset += items.length
    return matched
  })
}
