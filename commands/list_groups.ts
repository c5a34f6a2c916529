import {BaseCommand, inventoryFlag} from '../src/cli/base-command.js'

export default class ListGroups extends BaseCommand {
  static override summary = 'List the inventory groups and how many hosts each holds.'
  static override examples = ['<%= config.bin %> list_groups', '<%= config.bin %> list_groups -i inventory/lab --json']
  static override flags = {inventory: inventoryFlag}

  async run(): Promise<unknown> {
    const {flags} = await this.parse(ListGroups)
    return {inventory: flags.inventory}
  }
}
