import {Args, Flags} from '@oclif/core'

import {BaseCommand, inventoryFlag} from '../../src/cli/base-command.js'
import {connectionFlags, inventorySource} from '../../src/cli/fanout-flags.js'

export default class InventoryShow extends BaseCommand {
  static override args = {host: Args.string({description: 'Host to show (default: every host).'})}
  static override description = `Prints a host's variables merged with Ansible's precedence (all, then parent groups,
child groups, group_vars/, the host itself, host_vars/), plus inventory_hostname, group_names and the other magic
variables Ansible adds, as written; with --resolved, each templated as Ansible templates it (a variable that cannot be
shows why, and the exit code is 3). Values from Ansible Vault show as <vault> unless --show-secrets.

${BaseCommand.exitCodesHelp}`
  static override examples = [
    '<%= config.bin %> inventory show velaryon',
    '<%= config.bin %> inventory show --json',
    '<%= config.bin %> inventory show velaryon --resolved',
    '<%= config.bin %> inventory show bettley --show-secrets --vault-password-file ~/.goldentooth_vault_password',
  ]
  static override flags = {
    inventory: inventoryFlag,
    resolved: Flags.boolean({summary: 'Template every value as Ansible would (with the facts render assumes).'}),
    'show-secrets': Flags.boolean({summary: 'Show values that came from Ansible Vault instead of <vault>.'}),
    'vault-password-file': connectionFlags['vault-password-file'],
  }
  static override summary = "Show a host's merged variables."

  async run(): Promise<void> {
    const {args, flags} = await this.parse(InventoryShow)
    const [{inventoryShow}, {showRenderer}] = await Promise.all([
      import('../../src/services/inventory.js'),
      import('../../src/cli/render/inventory.js'),
    ])
    const report = await inventoryShow(args.host, {
      ...inventorySource(flags),
      resolved: flags.resolved,
      showSecrets: flags['show-secrets'],
    })
    this.report(report, showRenderer)
  }
}
