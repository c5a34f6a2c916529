import {Args} from '@oclif/core'

import {BaseCommand} from '../../src/cli/base-command.js'
import {LAB_EXIT_CODES} from '../../src/lab/help-text.js'

export default class LabReset extends BaseCommand {
  static override args = {node: Args.string({description: 'The node to reset, e.g. lab2.', required: true})}
  static override summary = 'Put one node back to the clean base and boot it again.'
  static override description = `Powers the node off, throws its overlay away (everything written since it booted), gives it a new sshd host
key (recorded in /var/lib/goldentooth/lab/known_hosts) and boots it again. Other nodes keep running.

${LAB_EXIT_CODES}`
  static override examples = ['<%= config.bin %> lab reset lab2', '<%= config.bin %> lab reset lab2 --json']

  async run(): Promise<void> {
    const {args} = await this.parse(LabReset)
    const [{resetLabNode}, {labProgress, labResetRenderer}] = await Promise.all([
      import('../../src/services/lab.js'),
      import('../../src/cli/render/lab.js'),
    ])
    this.report(await resetLabNode(args.node, labProgress), labResetRenderer)
  }
}
