import {distance} from 'fastest-levenshtein'

/** The candidate closest to `name` when it is close enough to be a typo (a few edits, less than half the word). */
export function closeMatch(name: string, candidates: Iterable<string>): string | undefined {
  const best = nearest(name, candidates)
  const bestDistance = best === undefined ? Infinity : distance(name.toLowerCase(), best.toLowerCase())
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 4)))
  return best !== undefined && bestDistance <= limit && bestDistance < name.length ? best : undefined
}

/** The candidate with the fewest edits from `name`, however far (for "nothing matched" errors). */
export function nearest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of candidates) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase())
    if (d < bestDistance) [best, bestDistance] = [candidate, d]
  }
  return best
}
