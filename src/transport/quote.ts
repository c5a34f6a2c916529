import {quote} from 'shell-quote'

/** Quote one argument for a POSIX shell. */
export function shq(arg: string): string {
  return quote([arg])
}

/** Quote each argument and join them: the remote shell sees exactly this argv. */
export function shJoin(args: readonly string[]): string {
  return quote([...args])
}

/** A command line that shSplit cannot split (an unclosed quote or a trailing backslash). */
export class ShellSplitError extends Error {}

const WHITESPACE = new Set([' ', '\t', '\r', '\n'])

/**
 * Split a command line exactly as Ansible splits ansible_ssh_common_args: Python's `shlex.split()` in POSIX mode.
 * Only whitespace separates words; quotes and backslashes group them; `|`, `;`, `*`, `#` and `$VARS` stay literal.
 */
export function shSplit(line: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  let quote: "'" | '"' | undefined
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string
    if (quote === "'") {
      if (c === "'") quote = undefined
      else word += c
    } else if (quote === '"') {
      if (c === '"') quote = undefined
      else if (c === '\\' && i + 1 < line.length) {
        const next = line[++i] as string
        word += next === '"' || next === '\\' ? next : `\\${next}`
      } else if (c === '\\') throw new ShellSplitError('no closing quotation')
      else word += c
    } else if (WHITESPACE.has(c)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
    } else {
      inWord = true
      if (c === "'" || c === '"') quote = c
      else if (c === '\\') {
        if (i + 1 >= line.length) throw new ShellSplitError('no escaped character after the final backslash')
        word += line[++i]
      } else word += c
    }
  }
  if (quote) throw new ShellSplitError('no closing quotation')
  if (inWord) words.push(word)
  return words
}
