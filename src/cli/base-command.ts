import {stripVTControlCharacters} from 'node:util'

import {Command, Errors, Flags} from '@oclif/core'

import {GoldentoothError} from '../core/errors.js'
import {EXIT, EXIT_CODES_HELP} from '../core/exit-codes.js'
import {writeJson} from '../output/json-stream.js'
import {errorText, type Renderer, writeText} from './renderer.js'

/**
 * A reader that went away (EPIPE: `| head`) or a terminal that hung up (EIO after SIGHUP) ends what we can print, not
 * the run: remote work is still stopped and reported through the exit code.
 */
for (const stream of [process.stdout, process.stderr]) {
  stream.removeAllListeners('error')
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'EIO') throw error
  })
}

/** Flags every command shares. Keep this module light: it is imported on every start. */
export const inventoryFlag = Flags.string({
  char: 'i',
  default: 'inventory',
  env: 'GOLDENTOOTH_INVENTORY',
  helpGroup: 'GLOBAL',
  summary: 'Inventory file or directory (Ansible YAML format).',
})

export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true

  static override baseFlags = {
    'no-color': Flags.boolean({helpGroup: 'GLOBAL', summary: 'Disable colour (NO_COLOR is honoured too).'}),
  }

  static exitCodesHelp = EXIT_CODES_HELP

  override logJson(json: unknown): void {
    writeJson(json, (text) => process.stdout.write(text))
  }

  /** Show a service's report: its text for people, or with --json its document; and exit as the renderer says. */
  protected report<R>(report: R, renderer: Renderer<R>): void {
    if (this.jsonEnabled()) this.logJson(renderer.json ? renderer.json(report) : report)
    else writeText(renderer.text(report))
    process.exitCode = renderer.exitCode?.(report) ?? EXIT.ok
  }

  /** Print one clear error (never a stack trace) and set the documented exit code. */
  protected override async catch(err: Error & {oclif?: {exit?: number}; exitCode?: number}): Promise<unknown> {
    if (err instanceof Errors.ExitError) throw err
    const known = err instanceof GoldentoothError
    const duringParse = err.oclif?.exit !== undefined || !this.parsed
    // The flag that could not be parsed is reported below; oclif's "did not parse its arguments" would only confuse.
    this.parsed = true
    const usage = !known && duringParse
    const exitCode = known ? err.exitCode : usage ? EXIT.usage : EXIT.failed
    process.exitCode = exitCode
    const message = duringParse ? parserMessage(err.message) : err.message
    const hint =
      (known ? err.hint : undefined) ??
      (duringParse ? `see: goldentooth ${this.id?.replaceAll(':', ' ') ?? ''} --help` : undefined)
    if (this.jsonEnabled()) {
      this.logJson({error: {exitCode, message, ...(hint ? {hint} : {})}})
      return
    }
    process.stderr.write(errorText({hint, message}))
    if (!known && !usage) {
      if (process.env.DEBUG?.includes('goldentooth')) process.stderr.write(`${err.stack}\n`)
      else process.stderr.write('  this is a bug in goldentooth; set DEBUG=goldentooth to see where it happened\n')
    }
  }
}

/**
 * oclif's parser messages, made one line: `Parsing --flag \n\tWHAT` becomes `--flag: WHAT`, its table of missing
 * arguments `missing argument: NAME`, and `The following error occurred:\n  WHAT` just `WHAT`.
 */
function parserMessage(message: string): string {
  const text = stripVTControlCharacters(message).replace(/\nSee more help with --help$/, '')
  const missing = /^Missing \d+ required args?:\n/.exec(text)
  if (missing) {
    const [table = ''] = text.slice(missing[0].length).split('\n\n')
    const names = table
      .split('\n')
      .filter((line) => /^\S/.test(line))
      .map((line) => line.split(' ')[0]!.toUpperCase())
    return `missing ${names.length === 1 ? 'argument' : 'arguments'}: ${names.join(' ')}`
  }
  return text
    .replace(/^Parsing (--[\w-]+) \n\t/, '$1: ')
    .replace(/^The following errors? occurred:\n\s*/, '')
    .replace(/^Missing required flag ([\w-]+)$/, 'missing required flag --$1')
    .replaceAll(/\n\s*/g, '; ')
}
