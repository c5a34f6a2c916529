import {Args} from '@oclif/core'

import {BaseCommand, inventoryFlag} from '../../src/cli/base-command.js'
import {connectionFlags} from '../../src/cli/fanout-flags.js'

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

  async run(): Promise<unknown> {
    const {args, flags} = await this.parse(InventoryGraph)
    const [{graphReport}, {openInventory}] = await Promise.all([
      import('../../src/inventory/report.js'),
      import('../../src/inventory/open.js'),
    ])
    const report = graphReport(await openInventory(flags), args.group)
    if (!this.jsonEnabled()) this.log(report.text)
    return report.json
  }
}
