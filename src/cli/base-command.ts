import {Command, Errors, Flags} from '@oclif/core'

import {GoldentoothError} from './errors.js'
import {EXIT, EXIT_CODES_HELP} from './exit-codes.js'

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

  /** Print one clear error (never a stack trace) and set the documented exit code. */
  protected override async catch(err: Error & {oclif?: {exit?: number}; exitCode?: number}): Promise<unknown> {
    if (err instanceof Errors.ExitError) throw err
    const known = err instanceof GoldentoothError
    const parseError = !known && err.oclif?.exit !== undefined
    const exitCode = known ? err.exitCode : parseError ? EXIT.usage : EXIT.failed
    process.exitCode = exitCode
    const hint = known
      ? err.hint
      : parseError
        ? `see: goldentooth ${this.id?.replaceAll(':', ' ') ?? ''} --help`
        : undefined
    if (this.jsonEnabled()) {
      this.logJson({error: {exitCode, message: err.message, ...(hint ? {hint} : {})}})
      return
    }
    process.stderr.write(`goldentooth: ${err.message}\n`)
    if (hint) process.stderr.write(`  hint: ${hint}\n`)
    if (!known && !parseError) {
      if (process.env.DEBUG?.includes('goldentooth')) process.stderr.write(`${err.stack}\n`)
      else process.stderr.write('  this is a bug in goldentooth; set DEBUG=goldentooth to see where it happened\n')
    }
  }
}
