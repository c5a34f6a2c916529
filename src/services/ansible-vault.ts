import {InvalidInputError, UsageError} from '../core/errors.js'
import {openVaultFile, readVaultFile, replaceFile, sealVaultFile, type VaultFile} from '../inventory/vault-files.js'
import {requireVaultSecret, type VaultSecret} from '../inventory/vault.js'

export interface VaultPasswordOptions {
  vaultPasswordFile: string | undefined
}

export interface VaultViewReport {
  files: {file: string; plaintext: string}[]
}

export interface VaultFilesOptions extends VaultPasswordOptions {
  /** Where the one file goes instead of over itself: a path, or '-' for stdout. */
  output?: string | undefined
}

export interface VaultFilesReport {
  action: 'decrypted' | 'encrypted' | 'rekeyed'
  /** Each file and where its result went: the file itself, the output path, or '-' (stdout). */
  files: {file: string; output: string}[]
  /** The result, when it went to stdout. */
  stdout: string | undefined
}

/** The plaintext of each vault file, in order. */
export async function vaultView(files: string[], options: VaultPasswordOptions): Promise<VaultViewReport> {
  const secret = await requireVaultSecret(options.vaultPasswordFile)
  const read = files.map(readVaultFile)
  const plaintexts = await Promise.all(read.map((vaultFile) => openVaultFile(vaultFile, secret)))
  return {files: files.map((file, i) => ({file, plaintext: plaintexts[i]!.toString('utf8')}))}
}

/** Encrypt plaintext files (all are checked before any is written). */
export async function vaultEncrypt(
  files: string[],
  options: VaultFilesOptions & {vaultId: string | undefined},
): Promise<VaultFilesReport> {
  const secret = await requireVaultSecret(options.vaultPasswordFile)
  const read = files.map(readVaultFile)
  const encrypted = read.find((vaultFile) => vaultFile.header)
  if (encrypted) throw new InvalidInputError(`${encrypted.file}: already encrypted with Ansible Vault`)
  const sealed = await Promise.all(read.map((vaultFile) => sealVaultFile(vaultFile.content, secret, options.vaultId)))
  return writeResults('encrypted', read, sealed, options.output)
}

/** Decrypt vault files (all are decrypted before any is written). */
export async function vaultDecrypt(files: string[], options: VaultFilesOptions): Promise<VaultFilesReport> {
  const secret = await requireVaultSecret(options.vaultPasswordFile)
  const read = files.map(readVaultFile)
  const plaintexts = await Promise.all(read.map((vaultFile) => openVaultFile(vaultFile, secret)))
  return writeResults('decrypted', read, plaintexts, options.output)
}

/** Re-encrypt vault files with a new password, each keeping its vault id (all are checked before any is written). */
export async function vaultRekey(
  files: string[],
  options: VaultPasswordOptions & {newVaultPasswordFile: string},
): Promise<VaultFilesReport> {
  const secret = await requireVaultSecret(options.vaultPasswordFile)
  const newSecret = await requireVaultSecret(options.newVaultPasswordFile)
  const read = files.map(readVaultFile)
  const sealed = await Promise.all(read.map(async (vaultFile) => rekey(vaultFile, secret, newSecret)))
  return writeResults('rekeyed', read, sealed, undefined)
}

async function rekey(vaultFile: VaultFile, secret: VaultSecret, newSecret: VaultSecret): Promise<Buffer> {
  const plaintext = await openVaultFile(vaultFile, secret)
  return sealVaultFile(plaintext, newSecret, vaultFile.header?.vaultId)
}

function writeResults(
  action: VaultFilesReport['action'],
  read: VaultFile[],
  results: Buffer[],
  output: string | undefined,
): VaultFilesReport {
  if (output === '-') return {action, files: [{file: read[0]!.file, output}], stdout: results[0]!.toString('utf8')}
  read.forEach((vaultFile, i) => replaceFile(output ?? vaultFile.file, results[i]!, vaultFile.mode))
  return {
    action,
    files: read.map((vaultFile) => ({file: vaultFile.file, output: output ?? vaultFile.file})),
    stdout: undefined,
  }
}

export interface VaultEncryptStringReport {
  /** The variable the snippet assigns, if any. */
  name: string | undefined
  /** The value as `!vault |` YAML, under `name:` when there is one: what pastes into group_vars. */
  snippet: string
  vaultText: string
}

/** A value encrypted as an inline `!vault` YAML value. */
export async function vaultEncryptString(
  value: string,
  options: VaultPasswordOptions & {name: string | undefined; vaultId: string | undefined},
): Promise<VaultEncryptStringReport> {
  if (value === '') throw new UsageError('the value to encrypt is empty')
  const secret = await requireVaultSecret(options.vaultPasswordFile)
  const vaultText = (await sealVaultFile(Buffer.from(value), secret, options.vaultId)).toString('utf8')
  const block = vaultText
    .trimEnd()
    .split('\n')
    .map((line) => `          ${line}`)
    .join('\n')
  const snippet = `${options.name === undefined ? '' : `${options.name}: `}!vault |\n${block}\n`
  return {name: options.name, snippet, vaultText}
}
