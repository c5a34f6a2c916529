import {BaseCommand, inventoryFlag} from '../../src/cli/base-command.js'
import {LAB_DEFAULT_INVENTORY, LAB_EXIT_CODES} from '../../src/lab/help-text.js'

export default class LabStatus extends BaseCommand {
  static override summary = 'Show every lab node: state, address, pid, uptime and socket.'
  static override description = `States: running, stopped (not started, powered off or killed), failed-to-boot (see its console log under
/run/goldentooth/lab/nodes/NODE/console.log). Exits 0 when the lab is down too: the states say so.

${LAB_EXIT_CODES}`
  static override examples = [
    '<%= config.bin %> lab status',
    '<%= config.bin %> lab status --inventory /run/goldentooth/lab/inventory --json',
  ]
  static override flags = {inventory: {...inventoryFlag, default: LAB_DEFAULT_INVENTORY} as typeof inventoryFlag}

  async run(): Promise<void> {
    const {flags} = await this.parse(LabStatus)
    const [{labStatusOf}, {labStatusRenderer}] = await Promise.all([
      import('../../src/services/lab.js'),
      import('../../src/cli/render/lab.js'),
    ])
    this.report(await labStatusOf(flags.inventory), labStatusRenderer)
  }
}
