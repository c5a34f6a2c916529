import {BaseCommand, inventoryFlag} from '../../src/cli/base-command.js'
import {connectionFlags, inventorySource} from '../../src/cli/fanout-flags.js'

export default class TestList extends BaseCommand {
  static override description = `For each suite: its checks, whether each is about one host or the whole cluster, the inventory groups it
runs on (or collects from) and how many hosts that is; then the inventory variables the suites read.

EXIT CODES
  0    listed
  3    inventory invalid`
  static override examples = ['<%= config.bin %> test list', '<%= config.bin %> test list -i inventory/lab --json']
  static override flags = {inventory: inventoryFlag, 'vault-password-file': connectionFlags['vault-password-file']}
  static override summary = 'List the health suites, their checks, and where each runs.'

  async run(): Promise<void> {
    const {flags} = await this.parse(TestList)
    const [{listSuites}, {healthListRenderer}] = await Promise.all([
      import('../../src/services/health-list.js'),
      import('../../src/cli/render/health-list.js'),
    ])
    const report = await listSuites(inventorySource(flags))
    this.report(report, healthListRenderer)
  }
}
