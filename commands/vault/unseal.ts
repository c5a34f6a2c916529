import {Args} from '@oclif/core'

import {BaseCommand} from '../../src/cli/base-command.js'
import {connectionFlags, connectionOptions} from '../../src/cli/fanout-flags.js'

export default class VaultUnseal extends BaseCommand {
  static override args = {pattern: Args.string({description: 'Narrow the vault group (Ansible host pattern).'})}
  static override description = `Unseals every sealed Vault server of the vault group with the unseal keys vault init stored: on each host, curl
sends the keys to Vault's API over stdin (never in a command line). Hosts that are not sealed are left alone.

EXIT CODES
  0    every selected host is unsealed
  1    a host could not be reached, has no keys that fit, or is still sealed
  2    usage error
  3    inventory invalid`
  static override examples = ['<%= config.bin %> vault unseal', '<%= config.bin %> vault unseal fenn --json']
  static override flags = connectionFlags
  static override summary = 'Unseal HashiCorp Vault with the stored keys.'

  async run(): Promise<void> {
    const {args, flags} = await this.parse(VaultUnseal)
    const [{vaultUnseal}, {unsealRenderer}] = await Promise.all([
      import('../../src/services/vault.js'),
      import('../../src/cli/render/vault.js'),
    ])
    this.report(await vaultUnseal(args.pattern, connectionOptions(flags)), unsealRenderer)
  }
}
