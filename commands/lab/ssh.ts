import {Args} from '@oclif/core'

import {BaseCommand} from '../../src/cli/base-command.js'
import {LAB_EXIT_CODES} from '../../src/lab/help-text.js'

export default class LabSsh extends BaseCommand {
  static override args = {node: Args.string({description: 'The node, e.g. lab1.', required: true})}
  static override enableJsonFlag = false
  static override strict = false
  static override summary = 'Open an SSH session on a lab node, or run a command there (the system ssh).'
  static override description = `Runs ssh -F /run/goldentooth/lab/ssh_config NODE with your terminal: an interactive login shell (-t) without a
command, else the command after -- run by the node's shell, as ssh runs it. Exits with ssh's exit code (the
command's, or 255 when ssh itself failed).

${LAB_EXIT_CODES}`
  static override examples = [
    '<%= config.bin %> lab ssh lab1',
    '<%= config.bin %> lab ssh lab2 -- systemctl is-system-running',
  ]

  async run(): Promise<void> {
    const {args, argv} = await this.parse(LabSsh)
    const [{sshToLabNode}, {labSshRenderer}] = await Promise.all([
      import('../../src/services/lab.js'),
      import('../../src/cli/render/lab.js'),
    ])
    this.report(await sshToLabNode(args.node, (argv as string[]).slice(1)), labSshRenderer)
  }
}
