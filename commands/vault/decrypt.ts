import {BaseCommand} from '../../src/cli/base-command.js'
import {
  outputFlag,
  outputOption,
  VAULT_PASSWORD_HELP,
  vaultFilesArg,
  vaultPasswordFileFlag,
} from '../../src/cli/ansible-vault-flags.js'

export default class VaultDecrypt extends BaseCommand {
  static override args = {file: vaultFilesArg}
  static override description = `Decrypts Ansible Vault files in place: each file is replaced atomically and keeps its permissions. Every FILE is
decrypted before any is written, so a wrong password leaves all of them encrypted.

${VAULT_PASSWORD_HELP}

EXIT CODES
  0    decrypted
  1    a file could not be read or written
  2    usage error (bad flag, no such FILE, no password)
  3    a FILE is not an Ansible Vault file, or the password does not decrypt it`
  static override examples = [
    '<%= config.bin %> vault decrypt secret.yml',
    '<%= config.bin %> vault decrypt secret.yml --output - | grep token',
  ]
  static override flags = {output: outputFlag, 'vault-password-file': vaultPasswordFileFlag}
  static override strict = false
  static override summary = 'Decrypt Ansible Vault files.'

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(VaultDecrypt)
    const files = argv as string[]
    const output = outputOption(files, flags.output)
    const [{vaultDecrypt}, {vaultFilesRenderer}] = await Promise.all([
      import('../../src/services/ansible-vault.js'),
      import('../../src/cli/render/ansible-vault.js'),
    ])
    const options = {output, vaultPasswordFile: flags['vault-password-file']}
    this.report(await vaultDecrypt(files, options), vaultFilesRenderer)
  }
}
