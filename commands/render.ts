import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../src/cli/base-command.js'
import {offlineRoleFlags, offlineRoleOptions} from '../src/cli/converge-flags.js'
import {connectionFlags} from '../src/cli/fanout-flags.js'
import {EXIT_CODES_HELP} from '../src/core/exit-codes.js'

export default class Render extends BaseCommand {
  static override args = {
    role: Args.string({description: 'Role to render (default: every role).'}),
    pattern: Args.string({description: "Narrow the role's hosts (Ansible host pattern)."}),
  }
  static override description = `Writes every file ROLE would put on every host into OUT/<role>/<host>/<path>, without connecting to any host.
Facts come from each host's assumed_facts inventory variable or conservative defaults, and are written next to the
files as facts.assumed.json. Lines and blocks a role keeps inside existing files are written as <path>.lines.
Secrets are never written. plan.txt lists every resource of the host in order.

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> render configure_cluster --out /tmp/rendered',
    '<%= config.bin %> render setup_slurm slurm_compute --out /tmp/rendered --json',
  ]
  static override flags = {
    ...offlineRoleFlags,
    limit: connectionFlags.limit,
    out: Flags.directory({required: true, summary: 'Directory to write into.'}),
  }
  static override summary = 'Render what a role would write on each host, offline.'

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Render)
    const [{renderToDirectory}, {renderRolesRenderer}] = await Promise.all([
      import('../src/services/render-roles.js'),
      import('../src/cli/render/render-roles.js'),
    ])
    const options = {...offlineRoleOptions(flags), limit: flags.limit, out: flags.out}
    this.report(await renderToDirectory(args.role, args.pattern, options), renderRolesRenderer)
  }
}
