import {BaseCommand} from '../src/cli/base-command.js'

/** What the completion scripts call: `goldentooth __complete -- WORDS...`, the last word the one being typed. */
export default class Complete extends BaseCommand {
  static override description =
    'Prints the candidates for the last of WORDS, one a line (see goldentooth autocomplete).'
  static override enableJsonFlag = false
  static override hidden = true
  static override strict = false
  static override summary = 'Complete a goldentooth command line (used by the shell completion scripts).'
  static override usage = '__complete -- WORDS...'

  async run(): Promise<void> {
    await this.parse(Complete)
    // oclif's argv moves a later `--` out of place; the words are read as given, after the first `--`.
    const words = this.argv.slice(this.argv.indexOf('--') + 1)
    const [{completeCommandLine}, {completionRenderer}] = await Promise.all([
      import('../src/services/complete.js'),
      import('../src/cli/render/complete.js'),
    ])
    const commands = this.config.commands
      .filter((command) => !command.hidden)
      .map((command) => ({
        args: Object.keys(command.args ?? {}),
        flags: Object.values(command.flags ?? {}).map((flag) => ({
          char: flag.char,
          name: flag.name,
          options: flag.type === 'option' ? flag.options : undefined,
          takesValue: flag.type === 'option',
        })),
        id: command.id,
        strict: command.strict !== false,
      }))
    const inventory = process.env.GOLDENTOOTH_INVENTORY || 'inventory'
    this.report(await completeCommandLine(words, {commands, inventory}), completionRenderer)
  }
}
