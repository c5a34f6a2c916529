import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {
  decryptVaultBytes,
  encryptVaultBytes,
  parseVaultHeader,
  VaultDecryptError,
} from '../../src/inventory/vault-cipher.js'

const PASSWORD = 'hunter2'
const SALT = Buffer.alloc(32, 7)

/** What Ansible's own VaultAES256 (Debian's ansible-core) writes for PLAINTEXT with SALT. */
function ansibleEncrypts(plaintext: Buffer, vaultId?: string): string {
  const script = `
import sys
from ansible.parsing.vault import VaultAES256, VaultSecret, format_vaulttext_envelope
text = VaultAES256.encrypt(sys.stdin.buffer.read(), VaultSecret(b'${PASSWORD}'), salt=bytes([7]) * 32)
version = '1.2' if ${JSON.stringify(vaultId ?? '')} else None
sys.stdout.write(format_vaulttext_envelope(text, 'AES256', version, ${JSON.stringify(vaultId ?? '')} or None).decode())
`
  return execFileSync('/usr/bin/python3', ['-c', script], {encoding: 'utf8', input: plaintext})
}

const scratch = mkdtempSync(path.join(tmpdir(), 'gt-vault-cipher-'))
const passwordFile = path.join(scratch, 'password')
writeFileSync(passwordFile, `${PASSWORD}\n`)
afterAll(() => rmSync(scratch, {force: true, recursive: true}))

const PLAINTEXTS: Record<string, Buffer> = {
  'a short text': Buffer.from('goldentooth: secret\n'),
  'exactly one block (a whole block of padding)': Buffer.from('0123456789abcdef'),
  'an empty file': Buffer.alloc(0),
  'UTF-8 beyond ASCII': Buffer.from('pässwörd: 秘密 🦷\n'),
  'binary bytes': Buffer.from([0, 1, 2, 255, 254, 10, 13, 0x80]),
  'several lines of hexadecimal': Buffer.alloc(300, 'x'),
}

describe('encryptVaultBytes writes what Ansible writes', () => {
  for (const [name, plaintext] of Object.entries(PLAINTEXTS)) {
    it(`${name}: byte for byte as VaultAES256 with the same salt, and ansible-vault decrypts it`, async () => {
      const text = await encryptVaultBytes(plaintext, PASSWORD, {salt: SALT})
      expect(text).toBe(ansibleEncrypts(plaintext))
      const file = path.join(scratch, 'vector.vault')
      writeFileSync(file, text)
      const decrypted = execFileSync('ansible-vault', [
        'decrypt',
        '--vault-password-file',
        passwordFile,
        '--output',
        '-',
        file,
      ])
      expect(decrypted.equals(plaintext)).toBe(true)
    })
  }

  it('a vault id: the 1.2 header, the same body', async () => {
    const plaintext = PLAINTEXTS['a short text']!
    const text = await encryptVaultBytes(plaintext, PASSWORD, {salt: SALT, vaultId: 'prod'})
    expect(text.split('\n')[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;prod')
    expect(text).toBe(ansibleEncrypts(plaintext, 'prod'))
  })

  it("the vault id 'default' is written as 1.1, as Ansible does", async () => {
    expect((await encryptVaultBytes(Buffer.from('x'), PASSWORD, {vaultId: 'default'})).split('\n')[0]).toBe(
      '$ANSIBLE_VAULT;1.1;AES256',
    )
  })

  it('a fresh random salt each time, which ansible-vault decrypts', async () => {
    const plaintext = PLAINTEXTS['UTF-8 beyond ASCII']!
    const [first, second] = await Promise.all([
      encryptVaultBytes(plaintext, PASSWORD),
      encryptVaultBytes(plaintext, PASSWORD),
    ])
    expect(first).not.toBe(second)
    const file = path.join(scratch, 'ours.vault')
    writeFileSync(file, first)
    const decrypted = execFileSync('ansible-vault', [
      'decrypt',
      '--vault-password-file',
      passwordFile,
      '--output',
      '-',
      file,
    ])
    expect(decrypted.equals(plaintext)).toBe(true)
  })
})

describe('decryptVaultBytes reads what ansible-vault writes', () => {
  for (const [format, args] of [
    ['1.1', []],
    ['1.2', ['--vault-id', `prod@${passwordFile}`]],
  ] as const) {
    it(`format ${format}`, async () => {
      const file = path.join(scratch, `theirs-${format}`)
      const plaintext = PLAINTEXTS['several lines of hexadecimal']!
      writeFileSync(file, plaintext)
      const passwordArgs = args.length > 0 ? args : ['--vault-password-file', passwordFile]
      execFileSync('ansible-vault', ['encrypt', ...passwordArgs, file])
      const text = readFileSync(file, 'utf8')
      expect(parseVaultHeader(text)).toEqual({vaultId: format === '1.2' ? 'prod' : undefined, version: format})
      expect((await decryptVaultBytes(text, PASSWORD)).equals(plaintext)).toBe(true)
    })
  }

  it('every plaintext round-trips', async () => {
    for (const plaintext of Object.values(PLAINTEXTS)) {
      const text = await encryptVaultBytes(plaintext, PASSWORD)
      expect((await decryptVaultBytes(text, PASSWORD)).equals(plaintext)).toBe(true)
    }
  })
})

describe('what cannot be decrypted', () => {
  async function why(text: string, password = PASSWORD): Promise<string> {
    const error = await decryptVaultBytes(text, password).then(
      () => undefined,
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(VaultDecryptError)
    return (error as Error).message
  }

  it('a wrong password', async () => {
    expect(await why(await encryptVaultBytes(Buffer.from('x'), PASSWORD), 'wrong')).toBe('wrong password?')
  })

  it('text that is not Ansible Vault, or another cipher or version', async () => {
    for (const text of ['a: 1\n', '$ANSIBLE_VAULT;1.0;AES256\n3030\n', '$ANSIBLE_VAULT;1.1;AES\n3030\n'])
      expect(await why(text)).toMatch(/not Ansible Vault AES256 text/)
  })

  it('damaged text', async () => {
    const text = await encryptVaultBytes(Buffer.from('x'), PASSWORD)
    expect(await why(text.replace(/\n3/, '\nzz'))).toMatch(/damaged/)
    expect(await why(text.split('\n').slice(0, 3).join('\n'))).toMatch(/damaged|wrong password/)
  })
})

describe('parseVaultHeader', () => {
  it('reads 1.1 and 1.2 headers, leading white space and CRLF allowed', () => {
    expect(parseVaultHeader('$ANSIBLE_VAULT;1.1;AES256\n')).toEqual({vaultId: undefined, version: '1.1'})
    expect(parseVaultHeader('  $ANSIBLE_VAULT;1.2;AES256;prod\r\n30')).toEqual({vaultId: 'prod', version: '1.2'})
  })

  it('refuses a 1.2 header without an id and a 1.1 header with one', () => {
    expect(parseVaultHeader('$ANSIBLE_VAULT;1.2;AES256\n')).toBeUndefined()
    expect(parseVaultHeader('$ANSIBLE_VAULT;1.1;AES256;prod\n')).toBeUndefined()
  })
})
