import {Flags} from '@oclif/core'

import {BaseCommand} from '../../src/cli/base-command.js'
import {VAULT_PASSWORD_HELP, vaultFilesArg, vaultPasswordFileFlag} from '../../src/cli/ansible-vault-flags.js'

export default class VaultRekey extends BaseCommand {
  static override args = {file: vaultFilesArg}
  static override description = `Re-encrypts Ansible Vault files with a new password (a fresh salt), each keeping its vault id; each file is
replaced atomically and keeps its permissions. Every FILE is decrypted before any is written.

${VAULT_PASSWORD_HELP} The new password is read from --new-vault-password-file.

EXIT CODES
  0    re-encrypted
  1    a file could not be read or written
  2    usage error (bad flag, no such FILE, no password)
  3    a FILE is not an Ansible Vault file, or the password does not decrypt it`
  static override examples = [
    '<%= config.bin %> vault rekey inventory/group_vars/all/vault.yaml --new-vault-password-file new',
  ]
  static override flags = {
    'new-vault-password-file': Flags.string({
      required: true,
      summary: 'File holding the new Ansible Vault password, or an executable that prints it.',
    }),
    'vault-password-file': vaultPasswordFileFlag,
  }
  static override strict = false
  static override summary = 'Re-encrypt Ansible Vault files with a new password.'

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(VaultRekey)
    const [{vaultRekey}, {vaultFilesRenderer}] = await Promise.all([
      import('../../src/services/ansible-vault.js'),
      import('../../src/cli/render/ansible-vault.js'),
    ])
    const options = {
      newVaultPasswordFile: flags['new-vault-password-file'],
      vaultPasswordFile: flags['vault-password-file'],
    }
    this.report(await vaultRekey(argv as string[], options), vaultFilesRenderer)
  }
}
