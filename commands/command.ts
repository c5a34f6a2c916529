import {Args} from '@oclif/core'

import {AdhocCommand} from '../src/cli/adhoc-command.js'
import {runFlags} from '../src/cli/fanout-flags.js'
import {RUN_HELP} from '../src/cli/help-text.js'
import {UsageError} from '../src/core/errors.js'

export default class CommandCmd extends AdhocCommand {
  static override args = {
    pattern: Args.string({description: 'Hosts to run on (Ansible host pattern).', required: true}),
  }
  static override description = `Runs CMD on every selected host in parallel, one SSH connection per host. One argument after -- is a shell
command line run as written (pipes and $VARS work); several arguments are passed as an exact argv.

${RUN_HELP}`
  static override examples = [
    "<%= config.bin %> command consul_server -- 'systemctl status consul | head -3'",
    '<%= config.bin %> command all -- uptime',
    '<%= config.bin %> command slurm_compute:!lab1 --verbose -- journalctl -u slurmd -n 5',
    '<%= config.bin %> command all --limit @inventory/.goldentooth/retry -- hostname',
    '<%= config.bin %> command all --json -- cat /etc/os-release',
  ]
  static override flags = runFlags
  static override strict = false
  static override summary = 'Run a command on hosts as the login user.'

  /** command_root runs the same way, as root. */
  protected asRoot = false

  async run(): Promise<void> {
    const {args, argv, flags} = await this.parse(this.ctor as typeof CommandCmd)
    const words = argv.slice(1) as string[]
    if (words.length === 0)
      throw new UsageError('no command given', `usage: goldentooth ${this.id} ${args.pattern} -- CMD...`)
    await this.runOnHosts(args.pattern, {argv: words, asRoot: this.asRoot}, flags)
  }
}
