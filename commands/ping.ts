import {Args} from '@oclif/core'

import {BaseCommand} from '../src/cli/base-command.js'
import {runFlags} from '../src/cli/fanout-flags.js'
import {RUN_HELP} from '../src/cli/help-text.js'

export default class Ping extends BaseCommand {
  static override args = {pattern: Args.string({description: 'Hosts to check (Ansible host pattern).', required: true})}
  static override description = `Opens an SSH connection to every selected host (verifying its host key) and runs a trivial command.

${RUN_HELP}`
  static override examples = ['<%= config.bin %> ping all', '<%= config.bin %> ping consul_server --json']
  static override flags = runFlags
  static override summary = 'Check that hosts are reachable over SSH.'

  /** What runs on each host; uptime reuses this command with another. */
  protected remoteCommand = 'echo pong'

  async run(): Promise<unknown> {
    const {args, flags} = await this.parse(this.ctor as typeof Ping)
    const {runEverywhere} = await import('../src/adhoc/run.js')
    const {exitCode, json} = await runEverywhere(args.pattern, () => this.remoteCommand, {
      ...flags,
      json: this.jsonEnabled(),
    })
    process.exitCode = exitCode
    return json
  }
}
