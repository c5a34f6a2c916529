import {readFileSync} from 'node:fs'
import path from 'node:path'

import type {CompletionCommand} from '../completion/command-line.js'

import {packageRoot} from '../core/package-root.js'
import {completeCommandLine} from '../services/complete.js'
import {writeText} from './renderer.js'
import {completionRenderer} from './render/complete.js'

/** A command as oclif.manifest.json (written by `npm run build`) describes it. */
interface ManifestCommand {
  args?: Record<string, unknown>
  flags?: Record<string, {char?: string | null; name: string; options?: string[] | null; type: string}>
  hidden?: boolean
  id: string
  strict?: boolean
}

/** The visible commands of the manifest, as completion reads them. */
export function completionCommands(manifest: {commands: Record<string, ManifestCommand>}): CompletionCommand[] {
  return Object.values(manifest.commands)
    .filter((command) => !command.hidden)
    .map((command) => ({
      args: Object.keys(command.args ?? {}),
      flags: Object.values(command.flags ?? {}).map((flag) => ({
        char: flag.char ?? undefined,
        name: flag.name,
        options: flag.type === 'option' ? (flag.options ?? undefined) : undefined,
        takesValue: flag.type === 'option',
      })),
      id: command.id,
      strict: command.strict !== false,
    }))
}

/**
 * `goldentooth __complete -- WORDS...`, as the shell scripts call it on every Tab: bin/run.js runs it without loading
 * oclif, from the manifest. It prints the candidates one a line, and nothing at all when it cannot work them out.
 */
export async function completeMain(words: readonly string[]): Promise<void> {
  try {
    const manifest = JSON.parse(readFileSync(path.join(packageRoot(), 'oclif.manifest.json'), 'utf8'))
    const commands = completionCommands(manifest)
    const inventory = process.env.GOLDENTOOTH_INVENTORY || 'inventory'
    writeText(completionRenderer.text(await completeCommandLine(words, {commands, inventory})))
  } catch {
    // A shell completing a word shows nothing rather than an error.
  }
}
