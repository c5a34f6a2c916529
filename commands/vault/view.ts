import {BaseCommand} from '../../src/cli/base-command.js'
import {VAULT_PASSWORD_HELP, vaultFilesArg, vaultPasswordFileFlag} from '../../src/cli/ansible-vault-flags.js'

export default class VaultView extends BaseCommand {
  static override args = {file: vaultFilesArg}
  static override description = `Prints the plaintext of Ansible Vault files (format 1.1 or 1.2, as ansible-vault view). Offline: nothing is
contacted.

${VAULT_PASSWORD_HELP}

EXIT CODES
  0    printed
  1    a FILE could not be read
  2    usage error (bad flag, no such FILE, no password)
  3    a FILE is not an Ansible Vault file, or the password does not decrypt it`
  static override examples = [
    '<%= config.bin %> vault view inventory/group_vars/all/vault.yaml',
    '<%= config.bin %> vault view secret.yml --vault-password-file ~/.goldentooth_vault_password',
  ]
  static override flags = {'vault-password-file': vaultPasswordFileFlag}
  static override strict = false
  static override summary = 'Print the plaintext of Ansible Vault files.'

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(VaultView)
    const [{vaultView}, {vaultViewRenderer}] = await Promise.all([
      import('../../src/services/ansible-vault.js'),
      import('../../src/cli/render/ansible-vault.js'),
    ])
    this.report(await vaultView(argv as string[], {vaultPasswordFile: flags['vault-password-file']}), vaultViewRenderer)
  }
}
