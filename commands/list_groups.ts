import {BaseCommand, inventoryFlag} from '../src/cli/base-command.js'
import {connectionFlags, inventorySource} from '../src/cli/fanout-flags.js'

export default class ListGroups extends BaseCommand {
  static override description = `One line per group: its name, how many hosts it holds (through its child groups too)
and their names, in inventory order.

${BaseCommand.exitCodesHelp}`
  static override examples = [
    '<%= config.bin %> list_groups',
    '<%= config.bin %> list_groups --inventory inventory/lab --json',
  ]
  static override flags = {
    inventory: inventoryFlag,
    'vault-password-file': connectionFlags['vault-password-file'],
  }
  static override summary = 'List the inventory groups and how many hosts each holds.'

  async run(): Promise<void> {
    const {flags} = await this.parse(ListGroups)
    const [{inventoryGroups}, {groupsRenderer}] = await Promise.all([
      import('../src/services/inventory.js'),
      import('../src/cli/render/inventory.js'),
    ])
    const report = await inventoryGroups(inventorySource(flags))
    this.report(report, groupsRenderer)
  }
}
