const escapeRegExp = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')

/** Python's fnmatch.translate() as a JavaScript regular expression (whole-string, case-sensitive match). */
export function fnmatchRegExp(pattern: string): RegExp {
  let out = ''
  let i = 0
  const n = pattern.length
  while (i < n) {
    const c = pattern[i++]!
    if (c === '*') {
      if (!out.endsWith('.*')) out += '.*'
    } else if (c === '?') {
      out += '.'
    } else if (c === '[') {
      let j = i
      if (j < n && pattern[j] === '!') j++
      if (j < n && pattern[j] === ']') j++
      while (j < n && pattern[j] !== ']') j++
      if (j >= n) {
        out += '\\['
        continue
      }
      out += bracket(pattern, i, j)
      i = j + 1
    } else {
      out += escapeRegExp(c)
    }
  }
  return new RegExp(`^(?:${out})$`, 's')
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

/** Ansible's _match_list(): the items a pattern (glob, or `~regex`) matches, in their order. */
export function matchList(items: Iterable<string>, pattern: string): string[] {
  const regexp = pattern.startsWith('~') ? pythonRegExp(pattern.slice(1)) : fnmatchRegExp(pattern)
  return [...items].filter((item) => {
    regexp.lastIndex = 0
    return regexp.test(item)
  })
}
