import {Args, Flags} from '@oclif/core'

import {BaseCommand, inventoryFlag} from '../../src/cli/base-command.js'
import {connectionFlags, inventorySource} from '../../src/cli/fanout-flags.js'
import {PATTERN_HELP} from '../../src/cli/help-text.js'

export default class InventoryEval extends BaseCommand {
  static override args = {
    pattern: Args.string({description: 'Hosts to evaluate it for (Ansible host pattern).', required: true}),
    template: Args.string({description: "A Jinja template, as in ansible's debug msg=.", required: true}),
  }
  static override description = `Prints what TEMPLATE comes to on each selected host, as ansible PATTERN -m debug -a 'msg=TEMPLATE'
would: the host's variables templated the way Ansible templates them (a variable that refers to other variables,
hostvars of other hosts, groups, filters), with the facts render assumes (the inventory's assumed_facts). Hosts with
the same result are folded. Values from Ansible Vault show as <vault> unless --show-secrets. Offline: nothing is
contacted.

${PATTERN_HELP}

EXIT CODES
  0    the template rendered on every host
  2    usage error (bad pattern, no targets)
  3    the inventory is invalid, or the template failed on a host (an undefined variable, a recursive one)`
  static override examples = [
    `<%= config.bin %> inventory eval all '{{ ipv4_address }}'`,
    `<%= config.bin %> inventory eval slurm_compute '{{ slurm_nfs_base_path }}/apps'`,
    `<%= config.bin %> inventory eval nfs_client "{{ hostvars[groups['nfs_server'] | first].ipv4_address }}" --json`,
  ]
  static override flags = {
    inventory: inventoryFlag,
    limit: connectionFlags.limit,
    'show-secrets': Flags.boolean({summary: 'Show values that came from Ansible Vault instead of <vault>.'}),
    'vault-password-file': connectionFlags['vault-password-file'],
  }
  static override summary = 'Evaluate a Jinja template on hosts, as Ansible would.'

  async run(): Promise<void> {
    const {args, flags} = await this.parse(InventoryEval)
    const [{inventoryEval}, {evalRenderer}] = await Promise.all([
      import('../../src/services/inventory.js'),
      import('../../src/cli/render/inventory.js'),
    ])
    const report = await inventoryEval(args.pattern, args.template, {
      ...inventorySource(flags),
      limit: flags.limit,
      showSecrets: flags['show-secrets'],
    })
    this.report(report, evalRenderer)
  }
}
