import {Args} from '@oclif/core'

import {BaseCommand, inventoryFlag} from '../../src/cli/base-command.js'
import {connectionFlags, inventorySource} from '../../src/cli/fanout-flags.js'
import {PATTERN_HELP} from '../../src/cli/help-text.js'

export default class InventoryHosts extends BaseCommand {
  static override args = {
    pattern: Args.string({
      description: 'Ansible host pattern (there is no default: give all for every host).',
      required: true,
    }),
  }
  static override description = `Prints the hosts a pattern selects, one per line, in the order Ansible would use
(the same result as ansible -i INVENTORY PATTERN --list-hosts). Parts of the pattern that match nothing are warned
about on stderr, with the closest group or host; a pattern that selects nothing is a usage error.

${PATTERN_HELP}

${BaseCommand.exitCodesHelp}`
  static override examples = [
    '<%= config.bin %> inventory hosts consul_server',
    "<%= config.bin %> inventory hosts 'k8s_worker:!k8s_worker_gpu' --limit 'k8s_worker[0:3]'",
    '<%= config.bin %> inventory hosts all --limit @.goldentooth/failed.retry --json',
  ]
  static override flags = {
    inventory: inventoryFlag,
    limit: connectionFlags.limit,
    'vault-password-file': connectionFlags['vault-password-file'],
  }
  static override summary = 'List the hosts an Ansible host pattern selects.'

  async run(): Promise<void> {
    const {args, flags} = await this.parse(InventoryHosts)
    const [{inventoryHosts}, {hostsRenderer}] = await Promise.all([
      import('../../src/services/inventory.js'),
      import('../../src/cli/render/inventory.js'),
    ])
    const report = await inventoryHosts(args.pattern, {...inventorySource(flags), limit: flags.limit})
    this.report(report, hostsRenderer)
  }
}
