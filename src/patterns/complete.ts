/**
 * Complete the last part of a host pattern being typed: the text after the last `,` or `:` (and a leading `!` or
 * `&`) is completed from `names`, the rest is kept, so `consul_server:!ja` offers `consul_server:!jast`.
 */
export function completeHostPattern(word: string, names: readonly string[]): string[] {
  let start = Math.max(word.lastIndexOf(','), word.lastIndexOf(':')) + 1
  if (word[start] === '!' || word[start] === '&') start += 1
  const kept = word.slice(0, start)
  const partial = word.slice(start)
  return [...new Set(names)].filter((name) => name.startsWith(partial)).map((name) => kept + name)
}
