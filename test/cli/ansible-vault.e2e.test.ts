import {execFileSync} from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {afterAll, describe, expect, it} from 'vitest'

import {type CliResult, runCli, spawnCli} from '../support/cli.js'

/**
 * goldentooth vault view, edit, encrypt, decrypt, encrypt_string and rekey through the built CLI, against Debian's
 * ansible-vault and ansible both ways: what goldentooth writes they read, what they write goldentooth reads.
 */
const scratch = mkdtempSync(path.join(tmpdir(), 'gt-ansible-vault-'))
const home = path.join(scratch, 'home')
mkdirSync(home)
const password = path.join(scratch, 'password')
const newPassword = path.join(scratch, 'new-password')
const wrongPassword = path.join(scratch, 'wrong-password')
writeFileSync(password, 'hunter2\n')
writeFileSync(newPassword, 'correct horse\n')
writeFileSync(wrongPassword, 'not it\n')
afterAll(() => rmSync(scratch, {force: true, recursive: true}))

const ENV = {HOME: home, TMPDIR: scratch}
let count = 0

/** A fresh directory holding FILE with CONTENT (mode 0640). */
function fileWith(content: string | Buffer, name = 'secret.yml'): string {
  const dir = path.join(scratch, `case-${++count}`)
  mkdirSync(dir)
  const file = path.join(dir, name)
  writeFileSync(file, content)
  chmodSync(file, 0o640)
  return file
}

function ansibleVault(...args: string[]): Buffer {
  return execFileSync('ansible-vault', args, {env: {...process.env, ...ENV}, stdio: ['ignore', 'pipe', 'pipe']})
}

function ansibleEncrypted(content: string, vaultId?: string): string {
  const file = fileWith(content)
  ansibleVault(
    'encrypt',
    ...(vaultId ? ['--vault-id', `${vaultId}@${password}`] : ['--vault-password-file', password]),
    file,
  )
  return file
}

const vault = (args: string[], env: Record<string, string> = {}, input?: string) =>
  runCli(['vault', ...args], {env: {...ENV, ...env}, ...(input === undefined ? {} : {input})})

/** One line (and a hint at most), the exit code, no stack trace. */
function expectFailure(result: CliResult, exit: number, mentions: RegExp): void {
  expect(result.exitCode).toBe(exit)
  expect(result.stderr).toMatch(/^goldentooth: /)
  expect(result.stderr).toMatch(mentions)
  expect(result.stderr.trimEnd().split('\n').length).toBeLessThanOrEqual(2)
  expect(result.stderr).not.toMatch(/ at |this is a bug/)
}

const header = (file: string) => readFileSync(file, 'utf8').split('\n')[0]
const mode = (file: string) => statSync(file).mode & 0o777

describe('vault encrypt', () => {
  it('encrypts in place (format 1.1, the mode kept), and ansible-vault decrypts it', async () => {
    const file = fileWith('token: s3cret\n')
    const result = await vault(['encrypt', file, '--vault-password-file', password])
    expect(result.exitCode).toBe(0)
    expect(result.stderr).toBe(`${file}: encrypted\n`)
    expect(header(file)).toBe('$ANSIBLE_VAULT;1.1;AES256')
    expect(mode(file)).toBe(0o640)
    expect(readdirSync(path.dirname(file))).toEqual(['secret.yml'])
    expect(ansibleVault('view', '--vault-password-file', password, file).toString()).toBe('token: s3cret\n')
  })

  it('--vault-id writes format 1.2 with the id, which ansible-vault --vault-id decrypts', async () => {
    const file = fileWith('token: s3cret\n')
    expect(
      (await vault(['encrypt', file, '--vault-id', 'prod'], {ANSIBLE_VAULT_PASSWORD_FILE: password})).exitCode,
    ).toBe(0)
    expect(header(file)).toBe('$ANSIBLE_VAULT;1.2;AES256;prod')
    expect(ansibleVault('view', '--vault-id', `prod@${password}`, file).toString()).toBe('token: s3cret\n')
  })

  it('--output - prints the vault text and leaves the file alone', async () => {
    const file = fileWith('a: 1\n')
    const result = await vault(['encrypt', file, '--output', '-', '--vault-password-file', password])
    expect(result.exitCode).toBe(0)
    expect(readFileSync(file, 'utf8')).toBe('a: 1\n')
    const out = path.join(path.dirname(file), 'out')
    writeFileSync(out, result.stdout)
    expect(ansibleVault('view', '--vault-password-file', password, out).toString()).toBe('a: 1\n')
  })

  it('refuses a file that is already encrypted (exit 3), before writing any file', async () => {
    const plain = fileWith('a: 1\n')
    const encrypted = ansibleEncrypted('b: 2\n')
    const before = readFileSync(encrypted)
    const result = await vault(['encrypt', plain, encrypted, '--vault-password-file', password])
    expectFailure(result, 3, /already encrypted with Ansible Vault/)
    expect(readFileSync(plain, 'utf8')).toBe('a: 1\n')
    expect(readFileSync(encrypted).equals(before)).toBe(true)
  })

  it('usage errors (exit 2): --output with two files, a bad vault id, a missing file, no password', async () => {
    const file = fileWith('a: 1\n')
    expectFailure(
      await vault(['encrypt', file, file, '--output', '-', '--vault-password-file', password]),
      2,
      /--output takes one FILE/,
    )
    expectFailure(await vault(['encrypt', file, '--vault-id', 'a b', '--vault-password-file', password]), 2, /vault id/)
    expectFailure(await vault(['encrypt', `${file}.missing`, '--vault-password-file', password]), 2, /no such file/)
    const none = await vault(['encrypt', file])
    expectFailure(none, 2, /no Ansible Vault password/)
    expect(none.stderr).toContain('hint: give --vault-password-file FILE')
    expect(readFileSync(file, 'utf8')).toBe('a: 1\n')
  })
})

describe('vault view', () => {
  it('prints files ansible-vault encrypted (1.1 and 1.2), the password from ANSIBLE_VAULT_PASSWORD_FILE', async () => {
    const files = [ansibleEncrypted('one: 1\n'), ansibleEncrypted('two: 2\n', 'prod')]
    const result = await vault(['view', ...files], {ANSIBLE_VAULT_PASSWORD_FILE: password})
    expect(result).toMatchObject({exitCode: 0, stderr: '', stdout: 'one: 1\ntwo: 2\n'})
  })

  it('reads ~/.goldentooth_vault_password without a flag', async () => {
    const file = ansibleEncrypted('one: 1\n')
    const otherHome = mkdtempSync(path.join(scratch, 'home-'))
    writeFileSync(path.join(otherHome, '.goldentooth_vault_password'), 'hunter2\n')
    expect((await vault(['view', file], {HOME: otherHome})).stdout).toBe('one: 1\n')
  })

  it('a wrong password, a file that is not a vault (exit 3), a missing file (exit 2)', async () => {
    const file = ansibleEncrypted('one: 1\n')
    const wrong = await vault(['view', file, '--vault-password-file', wrongPassword])
    expectFailure(wrong, 3, /cannot decrypt with the password from .*wrong-password \(wrong password\?\)/)
    expect(wrong.stdout).toBe('')
    expectFailure(
      await vault(['view', fileWith('a: 1\n'), '--vault-password-file', password]),
      3,
      /not an Ansible Vault file/,
    )
    expectFailure(
      await vault(['view', path.join(scratch, 'missing'), '--vault-password-file', password]),
      2,
      /no such file/,
    )
  })
})

describe('vault decrypt', () => {
  it('decrypts what ansible-vault encrypted, in place, the mode kept', async () => {
    const file = ansibleEncrypted('token: s3cret\n', 'prod')
    chmodSync(file, 0o600)
    const result = await vault(['decrypt', file, '--vault-password-file', password])
    expect(result).toMatchObject({exitCode: 0, stderr: `${file}: decrypted\n`})
    expect(readFileSync(file, 'utf8')).toBe('token: s3cret\n')
    expect(mode(file)).toBe(0o600)
  })

  it('--output - prints the plaintext; --output FILE writes it there', async () => {
    const file = ansibleEncrypted('token: s3cret\n')
    const before = readFileSync(file)
    expect((await vault(['decrypt', file, '--output', '-', '--vault-password-file', password])).stdout).toBe(
      'token: s3cret\n',
    )
    const out = path.join(path.dirname(file), 'plain.yml')
    expect((await vault(['decrypt', file, '--output', out, '--vault-password-file', password])).exitCode).toBe(0)
    expect(readFileSync(out, 'utf8')).toBe('token: s3cret\n')
    expect(readFileSync(file).equals(before)).toBe(true)
  })

  it('a wrong password: exit 3, every file unchanged, no partial file', async () => {
    const file = ansibleEncrypted('token: s3cret\n')
    const before = readFileSync(file)
    expectFailure(await vault(['decrypt', file, '--vault-password-file', wrongPassword]), 3, /wrong password\?/)
    expect(readFileSync(file).equals(before)).toBe(true)
    expect(readdirSync(path.dirname(file))).toEqual(['secret.yml'])
  })

  it('refuses a plaintext file (exit 3)', async () => {
    const file = fileWith('a: 1\n')
    expectFailure(await vault(['decrypt', file, '--vault-password-file', password]), 3, /not an Ansible Vault file/)
    expect(readFileSync(file, 'utf8')).toBe('a: 1\n')
  })
})

describe('vault rekey', () => {
  it('re-encrypts with the new password, keeping the vault id; ansible-vault reads it with the new one only', async () => {
    const files = [ansibleEncrypted('one: 1\n', 'prod'), ansibleEncrypted('two: 2\n')]
    const result = await vault([
      'rekey',
      ...files,
      '--vault-password-file',
      password,
      '--new-vault-password-file',
      newPassword,
    ])
    expect(result.exitCode).toBe(0)
    expect(result.stderr).toBe(`${files[0]}: rekeyed\n${files[1]}: rekeyed\n`)
    expect(header(files[0]!)).toBe('$ANSIBLE_VAULT;1.2;AES256;prod')
    expect(header(files[1]!)).toBe('$ANSIBLE_VAULT;1.1;AES256')
    expect(ansibleVault('view', '--vault-id', `prod@${newPassword}`, files[0]!).toString()).toBe('one: 1\n')
    expect(ansibleVault('view', '--vault-password-file', newPassword, files[1]!).toString()).toBe('two: 2\n')
    expect(() => ansibleVault('view', '--vault-password-file', password, files[1]!)).toThrow()
  })

  it('a wrong old password: exit 3, the file unchanged', async () => {
    const file = ansibleEncrypted('one: 1\n')
    const before = readFileSync(file)
    const result = await vault([
      'rekey',
      file,
      '--vault-password-file',
      wrongPassword,
      '--new-vault-password-file',
      newPassword,
    ])
    expectFailure(result, 3, /wrong password\?/)
    expect(readFileSync(file).equals(before)).toBe(true)
  })

  it('a missing new password file (exit 2)', async () => {
    const file = ansibleEncrypted('one: 1\n')
    const result = await vault([
      'rekey',
      file,
      '--vault-password-file',
      password,
      '--new-vault-password-file',
      path.join(scratch, 'nope'),
    ])
    expectFailure(result, 2, /vault password file not found/)
  })
})

describe('vault encrypt_string', () => {
  /** An inventory of one host, h1, whose group_vars/all.yaml is VARS. */
  function inventoryWith(vars: string): string {
    const dir = path.join(scratch, `inventory-${++count}`)
    mkdirSync(path.join(dir, 'group_vars'), {recursive: true})
    writeFileSync(path.join(dir, 'hosts.yaml'), 'all:\n  hosts:\n    h1:\n      ansible_host: 127.0.0.1\n')
    writeFileSync(path.join(dir, 'group_vars/all.yaml'), vars)
    return dir
  }

  /** The value of VARIABLE on h1 as goldentooth inventory eval --json reports it. */
  async function goldentoothSees(inventory: string, variable: string): Promise<unknown> {
    const result = await runCli(
      ['inventory', 'eval', 'h1', `{{ ${variable} }}`, '--show-secrets', '--json', '-i', inventory],
      {
        env: {...ENV, ANSIBLE_VAULT_PASSWORD_FILE: password},
      },
    )
    return (JSON.parse(result.stdout) as {results: {value: unknown}[]}).results[0]?.value
  }

  function ansibleSees(inventory: string, variable: string): string {
    return execFileSync('ansible', ['-i', inventory, 'h1', '-m', 'debug', '-a', `var=${variable}`], {
      encoding: 'utf8',
      env: {...process.env, ...ENV, ANSIBLE_VAULT_PASSWORD_FILE: password},
    })
  }

  it('prints VAR: !vault | that goldentooth and ansible read back (value from stdin, 1.1; from the argument, 1.2)', async () => {
    const fromStdin = await vault(
      ['encrypt_string', '--name', 'db_password', '--vault-password-file', password],
      {},
      '  s3cret: with colon\n',
    )
    expect(fromStdin.exitCode).toBe(0)
    expect(fromStdin.stdout).toMatch(
      /^db_password: !vault \|\n {10}\$ANSIBLE_VAULT;1\.1;AES256\n( {10}[\da-f]{1,80}\n)+$/,
    )
    expect(fromStdin.stdout).not.toContain('s3cret')
    const fromArgument = await vault(['encrypt_string', 'tok3n', '--name', 'api_token', '--vault-id', 'prod'], {
      ANSIBLE_VAULT_PASSWORD_FILE: password,
    })
    expect(fromArgument.stdout).toMatch(/^api_token: !vault \|\n {10}\$ANSIBLE_VAULT;1\.2;AES256;prod\n/)

    const inventory = inventoryWith(`${fromStdin.stdout}${fromArgument.stdout}`)
    expect(await goldentoothSees(inventory, 'db_password')).toBe('  s3cret: with colon\n')
    expect(await goldentoothSees(inventory, 'api_token')).toBe('tok3n')
    expect(ansibleSees(inventory, 'db_password')).toContain('"db_password": "  s3cret: with colon\\n"')
    expect(ansibleSees(inventory, 'api_token')).toContain('"api_token": "tok3n"')
  })

  it('reads what ansible-vault encrypt_string prints', async () => {
    const snippet = ansibleVault(
      'encrypt_string',
      '--vault-password-file',
      password,
      '--name',
      'theirs',
      'from ansible',
    )
    const inventory = inventoryWith(snippet.toString())
    expect(await goldentoothSees(inventory, 'theirs')).toBe('from ansible')
  })

  it('without --name: the !vault block alone; --json: the vault text', async () => {
    const bare = await vault(['encrypt_string', '--vault-password-file', password], {}, 'x')
    expect(bare.stdout).toMatch(/^!vault \|\n {10}\$ANSIBLE_VAULT;1\.1;AES256\n/)
    const json = await vault(['encrypt_string', '--name', 'v', '--json', '--vault-password-file', password], {}, 'x')
    const document = JSON.parse(json.stdout) as {name: string; vaultText: string}
    expect(document.name).toBe('v')
    const file = fileWith(document.vaultText)
    expect(ansibleVault('decrypt', '--vault-password-file', password, '--output', '-', file).toString()).toBe('x')
  })

  it('--stdin-name VAR, as ansible-vault: the name, the value from stdin', async () => {
    const result = await vault(
      ['encrypt_string', '--stdin-name', 'tok', '--vault-password-file', password],
      {},
      'v4lue',
    )
    expect(result.stdout).toMatch(/^tok: !vault \|\n {10}\$ANSIBLE_VAULT;1\.1;AES256\n/)
    const file = fileWith(result.stdout.split('\n').slice(1).join('\n').replaceAll(/^ +/gm, ''))
    expect(ansibleVault('decrypt', '--vault-password-file', password, '--output', '-', file).toString()).toBe('v4lue')
  })

  it('usage errors (exit 2): an empty value, a name that is not a variable', async () => {
    expectFailure(await vault(['encrypt_string', '--name', 'v', '--vault-password-file', password], {}, ''), 2, /empty/)
    expectFailure(
      await vault(['encrypt_string', 'x', '--stdin-name', 'v', '--vault-password-file', password]),
      2,
      /--stdin-name reads the value from stdin/,
    )
    expectFailure(await vault(['encrypt_string', '--stdin-name', 'v', '--name', 'w']), 2, /cannot also be provided/)
    expectFailure(
      await vault(['encrypt_string', 'x', '--name', 'a-b', '--vault-password-file', password]),
      2,
      /not a variable name/,
    )
  })
})

describe('vault edit', () => {
  /** An executable editor script: BODY with $1 the file to edit. */
  function editor(body: string): string {
    const script = path.join(scratch, `editor-${++count}.sh`)
    writeFileSync(script, `#!/bin/sh\n${body}\n`)
    chmodSync(script, 0o755)
    return script
  }

  const edit = (file: string, env: Record<string, string>, args: string[] = []) =>
    vault(['edit', file, '--vault-password-file', password, ...args], {VISUAL: '', ...env})

  const privateCopies = () => readdirSync(scratch).filter((name) => name.startsWith('goldentooth-vault-'))

  it('re-encrypts what the editor changed (same vault id), the plaintext only in a private directory, removed', async () => {
    const file = ansibleEncrypted('one: 1\n', 'prod')
    chmodSync(file, 0o640)
    const log = path.join(scratch, `log-${++count}`)
    const script = editor(
      `stat -c '%a' "$(dirname "$1")" "$1" > ${log}; cat "$1" >> ${log}; printf 'two: 2\\n' >> "$1"`,
    )
    const result = await edit(file, {EDITOR: script})
    expect(result).toMatchObject({exitCode: 0, stderr: `${file}: saved\n`})
    expect(readFileSync(log, 'utf8')).toBe('700\n600\none: 1\n')
    expect(header(file)).toBe('$ANSIBLE_VAULT;1.2;AES256;prod')
    expect(mode(file)).toBe(0o640)
    expect(ansibleVault('view', '--vault-id', `prod@${password}`, file).toString()).toBe('one: 1\ntwo: 2\n')
    expect(privateCopies()).toEqual([])
  })

  it('leaves the file alone when nothing changed; $VISUAL before $EDITOR; edit_vault is the same command', async () => {
    const file = ansibleEncrypted('one: 1\n')
    const before = readFileSync(file)
    const result = await runCli(['edit_vault', file, '--vault-password-file', password], {
      env: {...ENV, EDITOR: editor('exit 7'), VISUAL: editor('true')},
    })
    expect(result).toMatchObject({exitCode: 0, stderr: `${file}: unchanged\n`})
    expect(readFileSync(file).equals(before)).toBe(true)
  })

  it('creates a new file encrypted (mode 0600), with --vault-id', async () => {
    const file = path.join(path.dirname(fileWith('')), 'new.yml')
    const result = await edit(file, {EDITOR: editor(`printf 'fresh: 1\\n' > "$1"`)}, ['--vault-id', 'dev'])
    expect(result).toMatchObject({exitCode: 0, stderr: `${file}: created\n`})
    expect(header(file)).toBe('$ANSIBLE_VAULT;1.2;AES256;dev')
    expect(mode(file)).toBe(0o600)
    expect(ansibleVault('view', '--vault-id', `dev@${password}`, file).toString()).toBe('fresh: 1\n')
  })

  it('an editor that fails (exit 1) or is missing (exit 2): the file unchanged, the copy removed', async () => {
    const file = ansibleEncrypted('one: 1\n')
    const before = readFileSync(file)
    expectFailure(
      await edit(file, {EDITOR: editor(`printf 'x' >> "$1"; exit 4`)}),
      1,
      /exited with 4: nothing was written/,
    )
    expectFailure(await edit(file, {EDITOR: path.join(scratch, 'no-such-editor')}), 2, /editor not found/)
    expect(readFileSync(file).equals(before)).toBe(true)
    expect(privateCopies()).toEqual([])
  })

  it('a wrong password (exit 3): the editor never starts', async () => {
    const file = ansibleEncrypted('one: 1\n')
    const marker = path.join(scratch, `never-${++count}`)
    const result = await vault(['edit', file, '--vault-password-file', wrongPassword], {
      EDITOR: editor(`touch ${marker}`),
    })
    expectFailure(result, 3, /wrong password\?/)
    expect(existsSync(marker)).toBe(false)
  })

  for (const [signal, exit] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} while the editor runs: exit ${exit}, the private copy and its directory removed, the file unchanged`, async () => {
      const file = ansibleEncrypted('one: 1\n')
      const before = readFileSync(file)
      const marker = path.join(scratch, `editing-${++count}`)
      const script = editor(
        `printf 'changed\\n' >> "$1"; echo "$1" > ${marker}.tmp; mv ${marker}.tmp ${marker}; exec sleep 30`,
      )
      const child = spawnCli(['vault', 'edit', file, '--vault-password-file', password], {
        ...ENV,
        EDITOR: script,
        VISUAL: '',
      })
      while (!existsSync(marker)) await sleep(50)
      const copy = readFileSync(marker, 'utf8').trim()
      expect(existsSync(copy)).toBe(true)
      child.kill(signal)
      const result = await child
      expect(result.exitCode).toBe(exit)
      expect(String(result.stderr)).toMatch(/^goldentooth: interrupted\n$/)
      expect(existsSync(path.dirname(copy))).toBe(false)
      expect(readFileSync(file).equals(before)).toBe(true)
    })
  }
})

describe('help', () => {
  it('vault lists the Ansible Vault commands beside HashiCorp Vault init and unseal; edit_vault is listed', async () => {
    const topic = (await runCli(['vault', '--help'])).stdout
    for (const command of ['view', 'edit', 'encrypt', 'decrypt', 'encrypt_string', 'rekey'])
      expect(topic).toMatch(new RegExp(`vault ${command} +\\S.*Ansible Vault`))
    expect(topic).toMatch(/vault init +Initialise HashiCorp Vault/)
    expect(topic).toMatch(/vault unseal +Unseal HashiCorp Vault/)
    expect((await runCli(['--help'])).stdout).toMatch(/edit_vault +Edit an Ansible Vault file/)
  })
})
