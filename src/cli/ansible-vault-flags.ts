import {Args, Flags} from '@oclif/core'

import {UsageError} from '../core/errors.js'

// Flags and arguments of the Ansible Vault commands (vault view, edit, encrypt, decrypt, encrypt_string, rekey).

export const vaultFilesArg = Args.string({description: 'Ansible Vault file(s).', ignoreStdin: true, required: true})

export const vaultPasswordFileFlag = Flags.string({
  env: 'ANSIBLE_VAULT_PASSWORD_FILE',
  summary: 'File holding the Ansible Vault password, or an executable that prints it.',
})

export const vaultIdFlag = Flags.string({
  parse: async (id) => {
    if (!/^[^;\s]+$/.test(id)) throw new UsageError(`${JSON.stringify(id)}: a vault id has no ";" and no white space`)
    return id
  },
  summary: "Write format 1.2 with this vault id ('default': 1.1, as Ansible does).",
})

export const outputFlag = Flags.string({
  summary: "Write the result to this file instead of over FILE ('-': stdout); one FILE only.",
})

export const VAULT_PASSWORD_HELP = `The password comes from --vault-password-file, ANSIBLE_VAULT_PASSWORD_FILE or ~/.goldentooth_vault_password
(as for the inventory), never from the command line.`

/** --output with the one file it may go with. */
export function outputOption(files: string[], output: string | undefined): string | undefined {
  if (output !== undefined && files.length !== 1)
    throw new UsageError('--output takes one FILE', 'give one FILE with --output, or leave --output out')
  return output
}
