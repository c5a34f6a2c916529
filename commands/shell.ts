import {Args} from '@oclif/core'

import {BaseCommand} from '../src/cli/base-command.js'
import {runFlags, runOptions} from '../src/cli/fanout-flags.js'
import {PATTERN_HELP} from '../src/cli/help-text.js'
import {EXIT_CODES_HELP} from '../src/core/exit-codes.js'

export default class Shell extends BaseCommand {
  static override args = {pattern: Args.string({description: 'A host, or hosts to broadcast to.', required: true})}
  static override description = `With one host: an interactive login through the system ssh (your ~/.ssh/config, agent and keys apply).
With several: a broadcast prompt; every line you type runs on all of them and the results are folded as in
'command'. Leave with exit or Ctrl-D.

${PATTERN_HELP}

${EXIT_CODES_HELP}`
  static override enableJsonFlag = false
  static override examples = ['<%= config.bin %> shell bettley', '<%= config.bin %> shell consul_server']
  static override flags = runFlags
  static override summary = 'Open a shell on a host, or a broadcast prompt to several.'

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Shell)
    const [{shell}, {liveOutput, runRenderer}, {broadcastLine, shellRenderer}] = await Promise.all([
      import('../src/services/shell.js'),
      import('../src/cli/render/run.js'),
      import('../src/cli/render/shell.js'),
    ])
    const live = flags.verbose ? liveOutput(flags.raw) : undefined
    const onLine = broadcastLine(runRenderer({raw: flags.raw, streamed: live !== undefined}))
    this.report(await shell(args.pattern, {...runOptions(flags), live, onLine}), shellRenderer)
  }
}
