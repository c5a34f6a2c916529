import {AdhocCommand} from '../src/cli/adhoc-command.js'
import {runFlags} from '../src/cli/fanout-flags.js'
import {UsageError} from '../src/core/errors.js'
import CommandCmd from './command.js'

/** The original CLI's command_all: command all -- CMD... */
export default class CommandAll extends AdhocCommand {
  static override description = `The original CLI's command_all: the same as command all -- CMD...

${CommandCmd.description}`
  static override examples = [
    '<%= config.bin %> command_all -- uptime',
    "<%= config.bin %> command_all -- 'systemctl is-active consul'",
  ]
  static override flags = runFlags
  static override strict = false
  static override summary = 'Run a command on every host as the login user (command all).'
  static override usage = 'command_all [FLAGS] -- CMD...'

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(CommandAll)
    if (argv.length === 0) throw new UsageError('no command given', 'usage: goldentooth command_all -- CMD...')
    await this.runOnHosts('all', {argv: argv as string[], asRoot: false}, flags)
  }
}
