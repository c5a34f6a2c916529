import {Args} from '@oclif/core'

import {BaseCommand, inventoryFlag} from '../../src/cli/base-command.js'
import {connectionFlags, inventorySource} from '../../src/cli/fanout-flags.js'

export default class InventoryGraph extends BaseCommand {
  static override args = {group: Args.string({default: 'all', description: 'Group to start from.'})}
  static override description = `Draws the group tree as ansible-inventory --graph does: @group: lines, child groups
nested under their parents with |--, and each group's own hosts (hosts directly under all appear under @ungrouped:).

${BaseCommand.exitCodesHelp}`
  static override examples = ['<%= config.bin %> inventory graph', '<%= config.bin %> inventory graph consul --json']
  static override flags = {
    inventory: inventoryFlag,
    'vault-password-file': connectionFlags['vault-password-file'],
  }
  static override summary = 'Draw the inventory group tree.'

  async run(): Promise<void> {
    const {args, flags} = await this.parse(InventoryGraph)
    const [{inventoryGraph}, {graphRenderer}] = await Promise.all([
      import('../../src/services/inventory.js'),
      import('../../src/cli/render/inventory.js'),
    ])
    const report = await inventoryGraph(args.group, inventorySource(flags))
    this.report(report, graphRenderer)
  }
}
