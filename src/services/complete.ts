import {type CompletionCommand, parseCommandLine, type Slot} from '../completion/command-line.js'
import {COMPLETION_SCRIPTS, type Shell} from '../completion/scripts.js'
import {SUITE_NAMES} from '../health/suite-names.js'
import type {InventoryNames} from '../inventory/names.js'
import {readState} from '../lab/state.js'
import {completeHostPattern} from '../patterns/complete.js'
import {ROLES} from '../roles/catalog.js'

export type {CompletionCommand} from '../completion/command-line.js'
export type {Shell} from '../completion/scripts.js'

export interface CompleteOptions {
  /** Every command the CLI has (hidden ones left out). */
  commands: readonly CompletionCommand[]
  /** The inventory in effect when the line gives none. */
  inventory: string
}

export interface Completion {
  candidates: string[]
}

type Source = (word: string, inventory: string) => Promise<string[]> | string[]

/** Loaded only for a word that needs the inventory: completing a command name reads no YAML. */
async function readInventoryNames(inventory: string): Promise<InventoryNames> {
  return (await import('../inventory/names.js')).readInventoryNames(inventory)
}

const hostPatterns: Source = async (word, inventory) => {
  const {groups, hosts} = await readInventoryNames(inventory)
  return completeHostPattern(word, [...groups, ...hosts])
}

/** Where an argument's values come from, by the argument's name. */
const ARGUMENT_VALUES: Record<string, Source> = {
  group: async (_word, inventory) => (await readInventoryNames(inventory)).groups,
  host: async (_word, inventory) => (await readInventoryNames(inventory)).hosts,
  node: () => Object.keys(readState()?.nodes ?? {}),
  pattern: hostPatterns,
  role: () => ROLES.map((role) => role.name),
  suite: () => [...SUITE_NAMES],
}

/** Flags whose value is a host pattern. */
const FLAG_VALUES: Record<string, Source> = {limit: hostPatterns}

/** Arguments that take every word that names one of their values (test SUITE... [PATTERN]). */
const REPEATED = new Set(['suite'])

function subcommands(topic: string, commands: readonly CompletionCommand[]): string[] {
  const prefix = topic ? `${topic}:` : ''
  const names = commands
    .filter((command) => command.id.startsWith(prefix))
    .map((command) => command.id.slice(prefix.length))
  return names.map((name) => name.split(':')[0]!)
}

async function slotCandidates(
  slot: Slot,
  word: string,
  command: CompletionCommand | undefined,
  options: CompleteOptions,
): Promise<string[]> {
  switch (slot.kind) {
    case 'command':
      return subcommands(slot.topic, options.commands)
    case 'flag':
      return [...(command?.flags ?? []).map((flag) => `--${flag.name}`), '--help']
    case 'flag-value': {
      const values = slot.flag.options ?? (await FLAG_VALUES[slot.flag.name]?.(word, options.inventory)) ?? []
      return values.map((value) => slot.kept + value)
    }
    case 'argument': {
      if (!command) return []
      const {args, strict} = command
      const name = args[slot.index] ?? (strict ? undefined : args.at(-1))
      const repeated = args.slice(0, slot.index).filter((arg) => REPEATED.has(arg) && arg !== name)
      const sources = [...repeated, ...(name ? [name] : [])].map((arg) => ARGUMENT_VALUES[arg])
      return (await Promise.all(sources.map((source) => source?.(word, options.inventory) ?? []))).flat()
    }
    case 'none':
      return []
  }
}

/**
 * The words that can complete the last of `words` (the words after the program name): command names, flags, fixed
 * flag and argument values, and host patterns from the inventory in effect. Connects to nothing, needs no vault
 * password, and an inventory that cannot be read only means no host names.
 */
export async function completeCommandLine(words: readonly string[], options: CompleteOptions): Promise<Completion> {
  const line = parseCommandLine(words, options.commands)
  const inventory = line.inventory ?? options.inventory
  const found = await Promise.all(
    line.slots.map((slot) => slotCandidates(slot, line.word, line.command, {...options, inventory})),
  )
  return {candidates: [...new Set(found.flat())].filter((candidate) => candidate.startsWith(line.typed))}
}

export interface CompletionScript {
  shell: Shell
  script: string
}

/** The script that makes `shell` complete goldentooth's command lines. */
export function completionScript(shell: Shell): CompletionScript {
  return {script: COMPLETION_SCRIPTS[shell], shell}
}
