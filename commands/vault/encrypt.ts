import {BaseCommand} from '../../src/cli/base-command.js'
import {
  outputFlag,
  outputOption,
  VAULT_PASSWORD_HELP,
  vaultFilesArg,
  vaultIdFlag,
  vaultPasswordFileFlag,
} from '../../src/cli/ansible-vault-flags.js'

export default class VaultEncrypt extends BaseCommand {
  static override args = {file: vaultFilesArg}
  static override description = `Encrypts files with Ansible Vault (AES256, format 1.1, or 1.2 with --vault-id), in place: each file is replaced
atomically and keeps its permissions. Every FILE is checked before any is written. ansible-vault and the inventory
loader read the result.

${VAULT_PASSWORD_HELP}

EXIT CODES
  0    encrypted
  1    a file could not be read or written
  2    usage error (bad flag, no such FILE, no password)
  3    a FILE is already encrypted with Ansible Vault`
  static override examples = [
    '<%= config.bin %> vault encrypt inventory/group_vars/all/vault.yaml',
    '<%= config.bin %> vault encrypt secret.yml --vault-id prod --output secret.vault.yml',
  ]
  static override flags = {
    output: outputFlag,
    'vault-id': vaultIdFlag,
    'vault-password-file': vaultPasswordFileFlag,
  }
  static override strict = false
  static override summary = 'Encrypt files with Ansible Vault.'

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(VaultEncrypt)
    const files = argv as string[]
    const output = outputOption(files, flags.output)
    const [{vaultEncrypt}, {vaultFilesRenderer}] = await Promise.all([
      import('../../src/services/ansible-vault.js'),
      import('../../src/cli/render/ansible-vault.js'),
    ])
    const options = {output, vaultId: flags['vault-id'], vaultPasswordFile: flags['vault-password-file']}
    this.report(await vaultEncrypt(files, options), vaultFilesRenderer)
  }
}
