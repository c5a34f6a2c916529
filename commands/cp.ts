import {Args} from '@oclif/core'

import {BaseCommand} from '../src/cli/base-command.js'
import {connectionFlags, connectionOptions} from '../src/cli/fanout-flags.js'
import {RUN_HELP} from '../src/cli/help-text.js'

export default class Cp extends BaseCommand {
  static override args = {
    source: Args.string({description: 'Local path, or PATTERN:path on hosts.', required: true}),
    destination: Args.string({description: 'Local path, or PATTERN:path on hosts.', required: true}),
  }
  static override description = `Copies files over each host's SSH connection (SFTP). Either side may be PATTERN:path, where PATTERN is a host,
a group or any host pattern:
  local -> hosts    goldentooth cp ./app.conf web:/etc/app/       (written atomically: temp file, then rename)
  hosts -> local    goldentooth cp consul_server:/etc/consul.d/consul.hcl ./out/   (one subdirectory per host
                    when the pattern selects several hosts: ./out/<host>/consul.hcl)
  host  -> hosts    goldentooth cp lab1:/etc/munge/munge.key slurm:/tmp/   (through a private local temp dir)

${RUN_HELP}`
  static override examples = [
    '<%= config.bin %> cp ./motd all:/etc/motd',
    '<%= config.bin %> cp consul_server:/etc/consul.d/consul.hcl ./configs/',
    '<%= config.bin %> cp lab1:/etc/hosts lab2,lab3:/tmp/hosts.lab1',
  ]
  static override flags = connectionFlags
  static override summary = 'Copy files between this machine and hosts, or from one host to others.'

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Cp)
    const [{copy}, {runRenderer}] = await Promise.all([
      import('../src/services/copy.js'),
      import('../src/cli/render/run.js'),
    ])
    const report = await copy(args.source, args.destination, connectionOptions(flags))
    this.report(report, runRenderer({raw: true, streamed: false}))
  }
}
