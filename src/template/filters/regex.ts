import type {Filter} from '../environment.js'
import {TemplateFault} from '../fault.js'
import {expandTemplate, pythonRegex} from '../python-regex.js'
import {pyStr} from '../repr.js'
import {truthy, tuple} from '../values.js'
import {define, text} from './define.js'

const compiled = new Map<string, RegExp>()

/** A Python pattern as a JS RegExp (`g` to scan, `y` for re.match), compiled once per pattern and flags. */
function regex(pattern: unknown, ignorecase: unknown, multiline: unknown, mode: 'g' | 'y' = 'g'): RegExp {
  const source = text(pattern, 'pattern')
  const flags = {
    ignorecase: ignorecase !== undefined && truthy(ignorecase),
    multiline: multiline !== undefined && truthy(multiline),
  }
  const key = `${mode}${flags.ignorecase ? 'i' : '-'}${flags.multiline ? 'm' : '-'}${source}`
  let found = compiled.get(key)
  if (!found) {
    found = pythonRegex(source, flags, mode)
    if (compiled.size > 1000) compiled.clear()
    compiled.set(key, found)
  }
  found.lastIndex = 0
  return found
}

/** Whether Python's `re.search` (or `re.match`, anchored at the start) finds the pattern in the value's text. */
export function regexMatches(
  value: unknown,
  pattern: unknown,
  ignorecase: unknown,
  multiline: unknown,
  anchored: boolean,
): boolean {
  return regex(pattern, ignorecase, multiline, anchored ? 'y' : 'g').exec(pyStr(value)) !== null
}

function regexSearch(value: unknown, pattern: unknown, args: unknown[], kwargs: Record<string, unknown>): unknown {
  const groups = args.map((arg) => {
    const reference = text(arg, 'regex_search argument')
    const named = /^\\g<(\S+)>/.exec(reference)
    if (named) return named[1] ?? ''
    const numbered = /^\\(\d+)/.exec(reference)
    if (numbered) return Number(numbered[1])
    if (reference.startsWith('\\')) throw new TemplateFault(`invalid regex_search group ${JSON.stringify(reference)}`)
    throw new TemplateFault('Unknown argument')
  })
  const expression = regex(pattern, kwargs.ignorecase, kwargs.multiline)
  const match = expression.exec(pyStr(value))
  if (!match) return null
  if (groups.length === 0) return match[0]
  return groups.map((group) => {
    if (typeof group === 'number') {
      if (group >= match.length) throw new TemplateFault('no such group')
      return match[group] ?? null
    }
    if (!match.groups || !(group in match.groups)) throw new TemplateFault('no such group')
    return match.groups[group] ?? null
  })
}

export const REGEX_FILTERS: Record<string, Filter> = {
  regex_findall: define(['regex', 'multiline', 'ignorecase'], 1, (value, pattern, multiline, ignorecase) => {
    const expression = regex(pattern, ignorecase, multiline)
    return [...pyStr(value).matchAll(expression)].map((match) => {
      if (match.length === 1) return match[0]
      if (match.length === 2) return match[1] ?? ''
      return tuple(match.slice(1).map((group) => group ?? ''))
    })
  }),
  regex_replace: define(
    ['pattern', 'replacement', 'ignorecase', 'multiline'],
    0,
    (value, pattern, replacement, ignorecase, multiline) => {
      const expression = regex(pattern ?? '', ignorecase, multiline)
      const template = replacement === undefined ? '' : text(replacement, 'replacement')
      const source = pyStr(value)
      let out = ''
      let last = 0
      for (const match of source.matchAll(expression)) {
        out += source.slice(last, match.index) + expandTemplate(template, match)
        last = match.index + match[0].length
      }
      return out + source.slice(last)
    },
  ),
  regex_search: (value, args, kwargs) => {
    const [pattern, ...groups] = args
    const {ignorecase, multiline, ...rest} = kwargs
    if (pattern === undefined) throw new TemplateFault("regex_search() missing required argument 'regex'")
    const extra = Object.keys(rest)
    if (extra.length) throw new TemplateFault(`regex_search() got an unexpected keyword argument '${extra[0]}'`)
    return regexSearch(value, pattern, groups, {ignorecase, multiline})
  },
}
