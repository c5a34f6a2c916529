/** A command as completion sees it: what oclif's manifest says about its flags and arguments. */
export interface CompletionCommand {
  id: string
  flags: CompletionFlag[]
  /** Its positional arguments, by name, in order. */
  args: string[]
  /** Takes no more words than its arguments (oclif's strict). */
  strict: boolean
}

export interface CompletionFlag {
  name: string
  char?: string | undefined
  takesValue: boolean
  /** The values it accepts, when they are a fixed set. */
  options?: readonly string[] | undefined
}

/** What the word being typed is. */
export type Slot =
  | {kind: 'command'; topic: string}
  | {kind: 'flag'}
  | {kind: 'flag-value'; flag: CompletionFlag; kept: string}
  | {kind: 'argument'; index: number}
  | {kind: 'none'}

export interface CommandLine {
  command?: CompletionCommand | undefined
  /** Where the word is, with the command's own arguments when the word may also name one of its subcommands. */
  slots: Slot[]
  /** The word being typed, without the quote it may open with. */
  typed: string
  /** What to complete of it (after `--flag=` when it is a flag's inline value). */
  word: string
  /** The inventory given on the line with -i or --inventory. */
  inventory?: string | undefined
}

/** Global flags bin/run.js accepts before the command; the first two take a value. */
const LEADING = [
  {name: 'inventory', char: 'i', takesValue: true},
  {name: 'vault-password-file', takesValue: true},
  {name: 'no-color', takesValue: false},
]

interface FlagWord {
  flag: CompletionFlag | undefined
  /** Given in the same word (`--flag=VALUE`, `-iVALUE`). */
  inline?: string | undefined
}

function flagWord(word: string, flags: readonly CompletionFlag[]): FlagWord {
  if (word.startsWith('--')) {
    const [name, inline] = word.slice(2).split(/=(.*)/s)
    return {flag: flags.find((flag) => flag.name === name), inline}
  }
  const flag = flags.find((candidate) => candidate.char === word[1])
  return {flag, inline: word.length > 2 && flag?.takesValue ? word.slice(2) : undefined}
}

/** A word without the shell's quotes around it; the word being typed may have only the opening one. */
function unquoted(word: string): string {
  const quote = word[0]
  if (quote !== "'" && quote !== '"') return word
  return word.length > 1 && word.endsWith(quote) ? word.slice(1, -1) : word.slice(1)
}

/**
 * Read a command line being completed: `words` are the words after the program name as typed, the last one the word
 * being typed (empty right after a space).
 */
export function parseCommandLine(typedWords: readonly string[], commands: readonly CompletionCommand[]): CommandLine {
  const words = typedWords.map(unquoted)
  const typed = words.at(-1) ?? ''
  const before = words.slice(0, -1)
  let inventory: string | undefined
  let flags: readonly CompletionFlag[] = LEADING
  let command: CompletionCommand | undefined
  let id = ''
  let index = 0
  const at = (slots: Slot[], word = typed): CommandLine => ({command, inventory, slots, typed, word})

  for (let i = 0; i < before.length; i++) {
    const word = before[i]!
    if (word === '--') return at([{kind: 'none'}])
    if (word.startsWith('-') && word !== '-') {
      const {flag, inline} = flagWord(word, flags)
      if (!flag?.takesValue || inline !== undefined) {
        if (flag?.name === 'inventory') inventory = inline
        continue
      }
      if (i === before.length - 1) return at([{flag, kind: 'flag-value', kept: ''}])
      if (flag.name === 'inventory') inventory = before[i + 1]
      i += 1
    } else if (!command || id.length > 0) {
      const next = id ? `${id}:${word}` : word
      const known = commands.find((candidate) => candidate.id === next)
      const topic = commands.some((candidate) => candidate.id.startsWith(`${next}:`))
      if (known || topic) {
        id = next
        command = known
        flags = known ? [...LEADING, ...known.flags] : LEADING
        continue
      }
      if (!command) return at([{kind: 'none'}])
      id = ''
      index += 1
    } else index += 1
  }

  if (typed.startsWith('--') && typed.includes('=')) {
    const {flag, inline} = flagWord(typed, flags)
    if (!flag) return at([{kind: 'none'}])
    return at([{flag, kind: 'flag-value', kept: typed.slice(0, typed.length - inline!.length)}], inline)
  }
  if (typed.startsWith('-')) return at([{kind: 'flag'}])
  const slots: Slot[] = []
  if (id && index === 0 && commands.some((candidate) => candidate.id.startsWith(`${id}:`)))
    slots.push({kind: 'command', topic: id})
  if (!command && !id) slots.push({kind: 'command', topic: ''})
  if (command) slots.push({index, kind: 'argument'})
  return at(slots)
}
