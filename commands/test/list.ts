import {BaseCommand, inventoryFlag} from '../../src/cli/base-command.js'
import {connectionFlags} from '../../src/cli/fanout-flags.js'

export default class TestList extends BaseCommand {
  static override description = `For each suite: its checks, whether each is about one host or the whole cluster, the inventory groups it
runs on (or collects from) and how many hosts that is; then the inventory variables the suites read.

EXIT CODES
  0    listed
  3    inventory invalid`
  static override examples = ['<%= config.bin %> test list', '<%= config.bin %> test list -i inventory/lab --json']
  static override flags = {inventory: inventoryFlag, 'vault-password-file': connectionFlags['vault-password-file']}
  static override summary = 'List the health suites, their checks, and where each runs.'

  async run(): Promise<unknown> {
    const {flags} = await this.parse(TestList)
    const {listSuites, renderListing} = await import('../../src/health/list.js')
    const report = await listSuites(flags)
    if (!this.jsonEnabled()) process.stdout.write(renderListing(report))
    return report
  }
}
