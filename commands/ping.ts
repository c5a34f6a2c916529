import {Args} from '@oclif/core'

import {AdhocCommand} from '../src/cli/adhoc-command.js'
import {runFlags} from '../src/cli/fanout-flags.js'
import {RUN_HELP} from '../src/cli/help-text.js'

export default class Ping extends AdhocCommand {
  static override args = {pattern: Args.string({description: 'Hosts to check (Ansible host pattern).', required: true})}
  static override description = `Opens an SSH connection to every selected host (verifying its host key) and runs a trivial command.

${RUN_HELP}`
  static override examples = ['<%= config.bin %> ping all', '<%= config.bin %> ping consul_server --json']
  static override flags = runFlags
  static override summary = 'Check that hosts are reachable over SSH.'

  /** What runs on each host; uptime reuses this command with another. */
  protected remoteCommand = 'echo pong'

  async run(): Promise<void> {
    const {args, flags} = await this.parse(this.ctor as typeof Ping)
    await this.runOnHosts(args.pattern, {argv: [this.remoteCommand], asRoot: false}, flags)
  }
}
