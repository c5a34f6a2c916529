import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {InterruptedError, RunError, UsageError} from '../core/errors.js'
import {exitCodeOnSignal, type StopSignal} from '../core/exit-codes.js'
import {openVaultFile, readVaultFile, replaceFile, sealVaultFile} from '../inventory/vault-files.js'
import {requireVaultSecret} from '../inventory/vault.js'
import type {VaultPasswordOptions} from './ansible-vault.js'

export interface VaultEditOptions extends VaultPasswordOptions {
  /** The editor command ($VISUAL or $EDITOR), split on white space; vi without one. */
  editor: string | undefined
  /** The vault id of a new file (an existing one keeps its own). */
  vaultId: string | undefined
}

export interface VaultEditReport {
  file: string
  outcome: 'created' | 'not created' | 'saved' | 'unchanged'
}

const STOP_SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

/**
 * Edit a vault file (or create one) in the operator's editor: the plaintext exists only in a private temporary
 * directory, removed whatever happens, and the file is re-encrypted (a fresh salt, the same vault id) and replaced
 * only when the text changed.
 */
export async function vaultEdit(file: string, options: VaultEditOptions): Promise<VaultEditReport> {
  const secret = await requireVaultSecret(options.vaultPasswordFile)
  const existing = existsSync(file) ? readVaultFile(file) : undefined
  const plaintext = existing ? await openVaultFile(existing, secret) : Buffer.alloc(0)
  const edited = await editPrivately(path.basename(file), plaintext, options.editor)
  if (edited.equals(plaintext)) return {file, outcome: existing ? 'unchanged' : 'not created'}
  const vaultId = existing ? existing.header?.vaultId : options.vaultId
  replaceFile(file, await sealVaultFile(edited, secret, vaultId), existing?.mode ?? 0o600)
  return {file, outcome: existing ? 'saved' : 'created'}
}

/** PLAINTEXT as the editor leaves it, edited in a file only the operator can read (mkdtemp makes its directory 0700). */
async function editPrivately(name: string, plaintext: Buffer, editor: string | undefined): Promise<Buffer> {
  const {execa} = await import('execa')
  // From here to the signal handlers nothing awaits, so no signal can leave the directory behind.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'goldentooth-vault-'))
  const remove = () => rmSync(dir, {force: true, recursive: true})
  let stoppedBy: StopSignal | undefined
  let onSignal: ((signal: StopSignal) => void) | undefined
  try {
    const copy = path.join(dir, name)
    writeFileSync(copy, plaintext, {flag: 'wx', mode: 0o600})
    const [command = 'vi', ...args] = (editor?.trim() || 'vi').split(/\s+/)
    const child = execa(command, [...args, copy], {reject: false, stdio: 'inherit'})
    onSignal = (signal) => {
      stoppedBy ??= signal
      remove()
      child.kill('SIGTERM')
    }
    for (const signal of STOP_SIGNALS) process.on(signal, onSignal)
    const result = await child
    if (stoppedBy) throw new InterruptedError(exitCodeOnSignal(stoppedBy))
    if ((result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT')
      throw new UsageError(`editor not found: ${command}`, 'set VISUAL or EDITOR to your editor')
    if (result.failed) {
      const how = result.signal ? `was killed by ${result.signal}` : `exited with ${result.exitCode}`
      throw new RunError(`the editor (${command}) ${how}: nothing was written`)
    }
    return readFileSync(copy)
  } finally {
    if (onSignal) for (const signal of STOP_SIGNALS) process.off(signal, onSignal)
    remove()
  }
}
