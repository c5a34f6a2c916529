import {Args} from '@oclif/core'

import {BaseCommand} from '../src/cli/base-command.js'
import {offlineRoleFlags, offlineRoleOptions} from '../src/cli/converge-flags.js'

export default class Validate extends BaseCommand {
  static override args = {role: Args.string({description: 'Role to validate (default: every role).'})}
  static override description = `Renders ROLE for all of its hosts without connecting, then runs real validators on the result:
systemd-analyze verify on every unit (with its drop-ins), sshd -t on sshd configurations, and the validators other roles
add (HCL parsing, slurm.conf checks), plus the role's cluster rules (an odd number of servers where a quorum needs it,
certificate renewal arithmetic). Lines that only mean "this machine lacks a binary the role installs" are notes.

EXIT CODES
  0    valid
  2    usage error
  3    a validator or a cluster rule found a problem`
  static override examples = [
    '<%= config.bin %> validate',
    '<%= config.bin %> validate configure_cluster -i inventory/lab --json',
  ]
  static override flags = {
    ...offlineRoleFlags,
  }
  static override summary = 'Render roles offline and check the result with real validators.'

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Validate)
    const [{validateRoles}, {validateRolesRenderer}] = await Promise.all([
      import('../src/services/validate-roles.js'),
      import('../src/cli/render/validate-roles.js'),
    ])
    this.report(await validateRoles(args.role, offlineRoleOptions(flags)), validateRolesRenderer)
  }
}
