import {createCipheriv, createDecipheriv, createHmac, pbkdf2, randomBytes, timingSafeEqual} from 'node:crypto'
import {promisify} from 'node:util'

// Ansible Vault's AES256 cipher (formats 1.1 and 1.2), as ansible.parsing.vault.VaultAES256 writes and reads it.

const HEADER = '$ANSIBLE_VAULT'
const LINE_WIDTH = 80
const BLOCK = 16

/** Vault text that cannot be decrypted; the message says why ('wrong password?' when the HMAC does not match). */
export class VaultDecryptError extends Error {}

export interface VaultHeader {
  version: '1.1' | '1.2'
  /** The vault id of a 1.2 header. */
  vaultId: string | undefined
}

export interface EncryptOptions {
  /** Written as a 1.2 header with this id; without one (or 'default', as Ansible does) 1.1. */
  vaultId?: string | undefined
  /** 32 bytes; random unless given (for known vectors). */
  salt?: Uint8Array
}

interface Keys {
  cipherKey: Buffer
  hmacKey: Buffer
  iv: Buffer
}

async function deriveKeys(password: string, salt: Uint8Array): Promise<Keys> {
  const derived = await promisify(pbkdf2)(password, salt, 10_000, 80, 'sha256')
  return {cipherKey: derived.subarray(0, 32), hmacKey: derived.subarray(32, 64), iv: derived.subarray(64, 80)}
}

const hmacOf = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest()

/** The header of vault text, or undefined when it is not Ansible Vault AES256 text. */
export function parseVaultHeader(text: string): VaultHeader | undefined {
  const [header, version, cipher, vaultId, ...rest] = (text.trimStart().split(/\r?\n/, 1)[0] ?? '').trim().split(';')
  if (header !== HEADER || cipher !== 'AES256' || rest.length > 0) return undefined
  if (version === '1.1' && vaultId === undefined) return {vaultId: undefined, version}
  if (version === '1.2' && vaultId) return {vaultId, version}
  return undefined
}

export async function encryptVaultBytes(
  plaintext: Uint8Array,
  password: string,
  options: EncryptOptions = {},
): Promise<string> {
  const salt = Buffer.from(options.salt ?? randomBytes(32))
  const {cipherKey, hmacKey, iv} = await deriveKeys(password, salt)
  const padding = BLOCK - (plaintext.length % BLOCK)
  const padded = Buffer.concat([plaintext, Buffer.alloc(padding, padding)])
  const cipher = createCipheriv('aes-256-ctr', cipherKey, iv)
  const ciphertext = Buffer.concat([cipher.update(padded), cipher.final()])
  const body = [salt.toString('hex'), hmacOf(hmacKey, ciphertext).toString('hex'), ciphertext.toString('hex')].join(
    '\n',
  )
  const hex = Buffer.from(body).toString('hex')
  const id = options.vaultId === 'default' ? undefined : options.vaultId
  const header = id === undefined ? `${HEADER};1.1;AES256` : `${HEADER};1.2;AES256;${id}`
  const lines = [header]
  for (let at = 0; at < hex.length; at += LINE_WIDTH) lines.push(hex.slice(at, at + LINE_WIDTH))
  return `${lines.join('\n')}\n`
}

export async function decryptVaultBytes(text: string, password: string): Promise<Buffer> {
  if (!parseVaultHeader(text)) throw new VaultDecryptError('not Ansible Vault AES256 text (format 1.1 or 1.2)')
  const hex = text.trim().split(/\r?\n/).slice(1).join('').replaceAll(/\s/g, '')
  if (!/^(?:[\da-f]{2})+$/i.test(hex)) throw new VaultDecryptError('the vault text is damaged (not hexadecimal)')
  const parts = Buffer.from(hex, 'hex').toString('latin1').split('\n')
  if (parts.length !== 3 || !parts.every((part) => /^(?:[\da-f]{2})+$/i.test(part)))
    throw new VaultDecryptError('the vault text is damaged (not salt, HMAC and ciphertext)')
  const [salt, hmac, ciphertext] = parts.map((part) => Buffer.from(part, 'hex')) as [Buffer, Buffer, Buffer]
  const {cipherKey, hmacKey, iv} = await deriveKeys(password, salt)
  const expected = hmacOf(hmacKey, ciphertext)
  if (hmac.length !== expected.length || !timingSafeEqual(hmac, expected))
    throw new VaultDecryptError('wrong password?')
  const decipher = createDecipheriv('aes-256-ctr', cipherKey, iv)
  const padded = Buffer.concat([decipher.update(ciphertext), decipher.final()])
  const padding = padded.at(-1) ?? 0
  if (padding < 1 || padding > BLOCK || padding > padded.length || padded.length % BLOCK !== 0)
    throw new VaultDecryptError('the vault text is damaged (bad padding)')
  if (!padded.subarray(padded.length - padding).every((byte) => byte === padding))
    throw new VaultDecryptError('the vault text is damaged (bad padding)')
  return padded.subarray(0, padded.length - padding)
}
