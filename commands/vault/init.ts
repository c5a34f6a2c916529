import {Flags} from '@oclif/core'

import {BaseCommand} from '../../src/cli/base-command.js'
import {connectionFlags, connectionOptions} from '../../src/cli/fanout-flags.js'

export default class VaultInit extends BaseCommand {
  static override description = `Initialises Vault once, through the API of the first host of the vault group (curl on that host; the request
goes over stdin). The unseal keys (Shamir seal) or recovery keys (AWS KMS seal) and the root token are written to
secrets/vault-init.json in goldentooth's state directory (.goldentooth/ beside the inventory, mode 0600) and never
printed. It refuses when that file exists or when Vault is already initialised, so keys are never replaced.

EXIT CODES
  0    initialised; the keys are in the secret store
  1    the host could not be reached, Vault is already initialised, or it refused
  2    usage error
  3    inventory invalid`
  static override examples = [
    '<%= config.bin %> vault init',
    '<%= config.bin %> vault init --key-shares 5 --key-threshold 3 --json',
  ]
  static override flags = {
    ...connectionFlags,
    'key-shares': Flags.integer({default: 5, max: 255, min: 1, summary: 'How many key shares to split the key into.'}),
    'key-threshold': Flags.integer({default: 3, max: 255, min: 1, summary: 'How many shares unseal Vault.'}),
  }
  static override summary = 'Initialise HashiCorp Vault and keep its keys in the secret store.'

  async run(): Promise<void> {
    const {flags} = await this.parse(VaultInit)
    const [{vaultInit}, {vaultInitRenderer}] = await Promise.all([
      import('../../src/services/vault.js'),
      import('../../src/cli/render/vault.js'),
    ])
    const options = {...connectionOptions(flags), shares: flags['key-shares'], threshold: flags['key-threshold']}
    this.report(await vaultInit(options), vaultInitRenderer)
  }
}
