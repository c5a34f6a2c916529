import {chmodSync, readFileSync, realpathSync, statSync} from 'node:fs'

import {InvalidInputError, UsageError} from '../core/errors.js'
import {writeFileAtomically} from '../state/atomic-write.js'
import {fileError} from '../state/file-errors.js'
import {decryptVaultBytes, encryptVaultBytes, parseVaultHeader, type VaultHeader} from './vault-cipher.js'
import {VAULT_PASSWORD_HINT, type VaultSecret} from './vault.js'

/** A file an Ansible Vault command reads: its bytes, its permission bits, and its vault header when it is one. */
export interface VaultFile {
  file: string
  content: Buffer
  mode: number
  header: VaultHeader | undefined
}

/** Read FILE for a vault command; a missing file is a usage error (exit 2), other OS errors name the file. */
export function readVaultFile(file: string): VaultFile {
  try {
    const content = readFileSync(file)
    return {content, file, header: parseVaultHeader(content.toString('latin1')), mode: statSync(file).mode & 0o7777}
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`${file}: no such file`)
    throw fileError(error, file, {action: 'read'})
  }
}

/** The plaintext of a vault file; exit 3 when it is not one or the password does not open it. */
export async function openVaultFile(vaultFile: VaultFile, secret: VaultSecret): Promise<Buffer> {
  if (!vaultFile.header) throw new InvalidInputError(`${vaultFile.file}: not an Ansible Vault file`)
  try {
    return await decryptVaultBytes(vaultFile.content.toString('latin1'), secret.password)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new InvalidInputError(
      `${vaultFile.file}: cannot decrypt with the password from ${secret.file} (${reason})`,
      undefined,
      reason === 'wrong password?' ? VAULT_PASSWORD_HINT : undefined,
    )
  }
}

export async function sealVaultFile(
  plaintext: Uint8Array,
  secret: VaultSecret,
  vaultId: string | undefined,
): Promise<Buffer> {
  return Buffer.from(await encryptVaultBytes(plaintext, secret.password, {vaultId}))
}

/**
 * Replace FILE (through a symbolic link, the file it points to) with CONTENT atomically, with the permission bits
 * MODE exactly (the umask does not narrow them).
 */
export function replaceFile(file: string, content: Buffer, mode: number): void {
  let target = file
  try {
    target = realpathSync(file)
  } catch {
    // a new file: written where it is named
  }
  writeFileAtomically(target, content, {mode})
  try {
    chmodSync(target, mode)
  } catch (error) {
    throw fileError(error, target)
  }
}
