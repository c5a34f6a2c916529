import {Args} from '@oclif/core'

import {BaseCommand} from '../../src/cli/base-command.js'
import {VAULT_PASSWORD_HELP, vaultIdFlag, vaultPasswordFileFlag} from '../../src/cli/ansible-vault-flags.js'

export default class VaultEdit extends BaseCommand {
  static override aliases = ['edit_vault']
  static override args = {
    file: Args.string({
      description: 'Ansible Vault file (created when missing).',
      ignoreStdin: true,
      required: true,
    }),
  }
  static override description = `Opens an Ansible Vault file in $VISUAL or $EDITOR (vi without either). The plaintext is written only to a file
in a fresh private temporary directory (mode 0700, the file 0600), removed when the editor exits, fails, or goldentooth
is interrupted. The file is re-encrypted (a fresh salt, the same vault id) and replaced atomically only when the text
changed. A FILE that does not exist is created encrypted (format 1.2 with --vault-id).

${VAULT_PASSWORD_HELP}

EXIT CODES
  0    saved, or left unchanged
  1    the editor failed, or the file could not be written (it is unchanged)
  2    usage error (bad flag, no password, no editor)
  3    FILE is not an Ansible Vault file, or the password does not decrypt it
  130  interrupted by Ctrl-C (143: SIGTERM); the file is unchanged`
  static override examples = [
    '<%= config.bin %> vault edit inventory/group_vars/all/vault.yaml',
    'EDITOR=nano <%= config.bin %> edit_vault secret.yml',
  ]
  static override flags = {'vault-id': vaultIdFlag, 'vault-password-file': vaultPasswordFileFlag}
  static override summary = 'Edit an Ansible Vault file in your editor.'

  async run(): Promise<void> {
    const {args, flags} = await this.parse(VaultEdit)
    const [{vaultEdit}, {vaultEditRenderer}] = await Promise.all([
      import('../../src/services/ansible-vault-edit.js'),
      import('../../src/cli/render/ansible-vault.js'),
    ])
    const options = {
      editor: process.env.VISUAL || process.env.EDITOR,
      vaultId: flags['vault-id'],
      vaultPasswordFile: flags['vault-password-file'],
    }
    this.report(await vaultEdit(args.file, options), vaultEditRenderer)
  }
}
