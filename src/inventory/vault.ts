import {execFile} from 'node:child_process'
import {readFile, stat} from 'node:fs/promises'
import {homedir} from 'node:os'
import path from 'node:path'
import {promisify} from 'node:util'

import {UsageError} from '../core/errors.js'

export interface VaultSecret {
  password: string
  /** The password file, named in errors. */
  file: string
}

export const VAULT_PASSWORD_HINT =
  'give --vault-password-file FILE, set ANSIBLE_VAULT_PASSWORD_FILE, or put the password in ~/.goldentooth_vault_password'

export function isVaultText(text: string): boolean {
  return text.startsWith('$ANSIBLE_VAULT;')
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  )
}

/**
 * The vault password, as Ansible reads it: the file's content without surrounding whitespace, or, when the file is
 * executable, what it prints. Without a file the original cluster's ~/.goldentooth_vault_password is used if it exists.
 */
export async function readVaultSecret(file: string | undefined): Promise<VaultSecret | undefined> {
  if (file === undefined) {
    const fallback = path.join(homedir(), '.goldentooth_vault_password')
    if (!(await exists(fallback))) return undefined
    file = fallback
  }
  const info = await stat(file).catch(() => undefined)
  if (!info?.isFile()) throw new UsageError(`vault password file not found: ${file}`, VAULT_PASSWORD_HINT)
  const password =
    info.mode & 0o111
      ? (
          await promisify(execFile)(path.resolve(file), [], {encoding: 'utf8'}).catch((error: Error) => {
            throw new UsageError(`vault password script ${file} failed: ${error.message.split('\n')[0]}`)
          })
        ).stdout.replace(/^[\r\n]+|[\r\n]+$/g, '')
      : (await readFile(file, 'utf8')).trim()
  if (!password) throw new UsageError(`vault password file ${file} is empty`, VAULT_PASSWORD_HINT)
  return {file, password}
}

/** Decrypt Ansible Vault 1.1/1.2 (AES256) text; rejects when the password is wrong or the text is damaged. */
export async function decryptVault(text: string, secret: VaultSecret): Promise<string> {
  // Loaded on first use: reading names or unencrypted inventories does not need it.
  const {Vault} = await import('ansible-vault')
  const plaintext = await new Vault({password: secret.password}).decrypt(text.trim(), undefined)
  if (plaintext === undefined) throw new Error('no matching vault id')
  return plaintext
}
