import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../src/cli/base-command.js'
import {VAULT_PASSWORD_HELP, vaultIdFlag, vaultPasswordFileFlag} from '../../src/cli/ansible-vault-flags.js'
import {UsageError} from '../../src/core/errors.js'

export default class VaultEncryptString extends BaseCommand {
  static override args = {
    value: Args.string({
      description: 'The value (read from stdin when left out; prefer stdin: argv is not secret).',
      // oclif would read a piped stdin into VALUE trimmed, and only what arrives within 10 ms.
      ignoreStdin: true,
    }),
  }
  static override description = `Encrypts one value with Ansible Vault and prints it as YAML that pastes into group_vars or host_vars:
VAR: !vault | and the vault text, indented. ansible, ansible-vault and goldentooth's inventory read it back. Without
VALUE the value is all of stdin, as it is (no newline is removed).

${VAULT_PASSWORD_HELP}

EXIT CODES
  0    printed
  2    usage error (bad flag or --name, an empty value, no password)`
  static override examples = [
    'printf \'%s\' "$TOKEN" | <%= config.bin %> vault encrypt_string --name consul_token >> inventory/group_vars/all/vault.yaml',
    '<%= config.bin %> vault encrypt_string --name db_password --vault-id prod < password.txt',
  ]
  static override flags = {
    name: Flags.string({
      exclusive: ['stdin-name'],
      parse: variableName,
      summary: 'The variable name to print before the value (VAR: !vault |).',
    }),
    'stdin-name': Flags.string({
      exclusive: ['name'],
      parse: variableName,
      summary: 'As ansible-vault: --name, the value from stdin.',
    }),
    'vault-id': vaultIdFlag,
    'vault-password-file': vaultPasswordFileFlag,
  }
  static override summary = 'Encrypt a value with Ansible Vault for YAML variables.'

  async run(): Promise<void> {
    const {args, flags} = await this.parse(VaultEncryptString)
    const [{vaultEncryptString}, {vaultEncryptStringRenderer}, {readStdin}] = await Promise.all([
      import('../../src/services/ansible-vault.js'),
      import('../../src/cli/render/ansible-vault.js'),
      import('../../src/cli/stdin.js'),
    ])
    if (flags['stdin-name'] !== undefined && args.value !== undefined)
      throw new UsageError('--stdin-name reads the value from stdin', 'leave VALUE out, or give --name instead')
    const value =
      args.value ??
      (await readStdin(
        'vault encrypt_string without VALUE',
        "printf '%s' VALUE | goldentooth vault encrypt_string --name VAR",
      ))
    const options = {
      name: flags.name ?? flags['stdin-name'],
      vaultId: flags['vault-id'],
      vaultPasswordFile: flags['vault-password-file'],
    }
    this.report(await vaultEncryptString(value, options), vaultEncryptStringRenderer)
  }
}

async function variableName(name: string): Promise<string> {
  if (!/^[A-Za-z_]\w*$/.test(name)) throw new UsageError(`${JSON.stringify(name)} is not a variable name`)
  return name
}
