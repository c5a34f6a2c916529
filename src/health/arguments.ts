import {UsageError} from '../core/errors.js'
import {closeMatch} from '../inventory/suggest.js'
import {SUITE_NAMES, type SuiteName} from './suite-names.js'

const isSuite = (word: string): word is SuiteName => (SUITE_NAMES as readonly string[]).includes(word)

/** `test SUITE... [PATTERN]`: leading suite names, then at most one pattern. */
export function suitesAndPattern(words: readonly string[]): {pattern: string; suites: SuiteName[]} {
  const suites: SuiteName[] = []
  let index = 0
  for (let word = words[0]; word !== undefined && isSuite(word); word = words[++index]) suites.push(word)
  const rest = words.slice(index)
  const unknown = suites.length === 0 ? rest[0] : rest.length > 1 ? rest[0] : undefined
  if (unknown !== undefined) {
    const near = closeMatch(unknown, SUITE_NAMES)
    throw new UsageError(
      `${unknown} is not a suite${near ? ` (did you mean ${near}?)` : ''}`,
      `suites: ${SUITE_NAMES.join(', ')}; or: goldentooth test all [PATTERN]`,
    )
  }
  if (suites.length === 0) {
    throw new UsageError('name at least one suite', `suites: ${SUITE_NAMES.join(', ')}; or: goldentooth test all`)
  }
  return {pattern: rest[0] ?? 'all', suites: [...new Set(suites)]}
}
