import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {describe, expect, it} from 'vitest'

import {InvalidInputError, UsageError} from '../../src/core/errors.js'
import {loadInventory} from '../../src/inventory/load.js'

const fixtures = path.resolve('test/fixtures/inventory')
const original = path.join(fixtures, 'goldentooth-ansible/inventory')
const originalPassword = path.join(fixtures, 'goldentooth-ansible/vault-password')

/** Build a scratch inventory directory from {relative path: content}. */
function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gt-inventory-'))
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), {recursive: true})
    writeFileSync(path.join(dir, name), content)
  }
  return dir
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a failure')
    },
    (error: Error) => error,
  )
}

describe('loadInventory: the original goldentooth Ansible inventory loads as it is', () => {
  it('reads hosts (no extension), host_vars, group_vars/all/vars.yaml and the vault', async () => {
    const inventory = await loadInventory(original, {vaultPasswordFile: originalPassword})
    expect(inventory.hosts.size).toBe(17)
    expect(inventory.groups.get('localhost')?.hosts).toEqual([])
    expect(inventory.groupHosts('consul_server')).toEqual(['erenford', 'fenn', 'gardener'])
    expect(inventory.groupHosts('seaweedfs')).toEqual(['manderly', 'norcross', 'oakheart', 'payne'])
    const vars = inventory.rawHostVars('velaryon')
    expect(vars.clean_hostname).toBe('velaryon')
    expect(vars.mac_address).toBe('2c:f0:5d:0f:ff:39')
    expect(vars.prompt).toEqual({colors: {primary: 23, secondary: 59, tertiary: 66}, emoji: '🐠'})
    expect(vars.cluster).toEqual({
      domain: '{{ cluster_name }}.net',
      name: '{{ cluster_name }}',
      node_domain: 'nodes.{{ cluster_name }}.net',
    })
    expect(vars.secret_vault).toMatchObject({easy_password: 'correct horse battery staple'})
    expect(inventory.rawHostVars('velaryon', {maskSecrets: true}).secret_vault).toBe('<vault>')
    expect(inventory.hostVars('velaryon').cluster).toEqual({
      domain: 'goldentooth.net',
      name: 'goldentooth',
      node_domain: 'nodes.goldentooth.net',
    })
    expect(inventory.varLocation('velaryon', 'secret_vault')).toEqual({
      col: 1,
      file: path.join(original, 'group_vars/all/vault'),
      line: 1,
    })
  })

  it('lists hosts without the vault password, and names the vault file when variables need it', async () => {
    const inventory = await loadInventory(original, {vaultPasswordFile: undefined})
    expect(inventory.groupHosts('k8s_control_plane')).toEqual(['bettley', 'cargyll', 'dalt'])
    const error = (() => {
      try {
        inventory.hostVars('bettley')
      } catch (caught) {
        return caught as InvalidInputError
      }
      throw new Error('expected hostVars to fail')
    })()
    expect(error).toBeInstanceOf(InvalidInputError)
    expect(error.exitCode).toBe(3)
    expect(error.message).toBe(
      `${path.join(original, 'group_vars/all/vault')}: is encrypted with Ansible Vault and no vault password is available`,
    )
  })
})

describe('loadInventory: vault', () => {
  const vaulted = path.join(fixtures, 'vaulted')
  const password = path.join(fixtures, 'vaulted.password')

  it('decrypts vault files and inline !vault values, and masks them on request', async () => {
    const inventory = await loadInventory(vaulted, {vaultPasswordFile: password})
    const vars = inventory.hostVars('db1')
    expect(vars).toMatchObject({
      api: {token: 'nested-token', url: 'https://db1.example.net'},
      db_password: 's3cret-db-password',
      group_secret: 'only-in-an-encrypted-file',
      port_secret: 5432,
    })
    expect(inventory.rawHostVars('db1', {maskSecrets: true})).toMatchObject({
      api: {token: '<vault>', url: 'https://db1.example.net'},
      db_password: '<vault>',
      db_user: 'app',
      group_secret: '<vault>',
      plain: 'visible',
      port_secret: '<vault>',
    })
  })

  it('rejects a wrong password with the file named (exit 3)', async () => {
    const wrong = scratch({password: 'not-the-password\n'})
    const error = await failure(loadInventory(vaulted, {vaultPasswordFile: path.join(wrong, 'password')}))
    expect(error).toBeInstanceOf(InvalidInputError)
    expect(error.message).toBe(
      `${vaulted}/hosts.yaml:9:29: cannot decrypt this !vault value with the password from ${wrong}/password (wrong password?)`,
    )
  })

  it('runs an executable password file and uses what it prints, as Ansible does', async () => {
    const dir = scratch({'pass.sh': '#!/bin/sh\necho vaulted-fixture-password\n'})
    const {chmodSync} = await import('node:fs')
    chmodSync(path.join(dir, 'pass.sh'), 0o755)
    const inventory = await loadInventory(vaulted, {vaultPasswordFile: path.join(dir, 'pass.sh')})
    expect(inventory.hostVars('db1').db_password).toBe('s3cret-db-password')
  })

  it('refuses a password file that does not exist (usage error)', async () => {
    const error = await failure(loadInventory(vaulted, {vaultPasswordFile: '/nonexistent/vault-pass'}))
    expect(error).toBeInstanceOf(UsageError)
    expect(error.message).toBe('vault password file not found: /nonexistent/vault-pass')
  })

  it('uses ~/.goldentooth_vault_password when no file is given', async () => {
    const home = scratch({'.goldentooth_vault_password': 'vaulted-fixture-password\n'})
    const saved = process.env.HOME
    process.env.HOME = home
    try {
      const inventory = await loadInventory(vaulted)
      expect(inventory.hostVars('db1').group_secret).toBe('only-in-an-encrypted-file')
    } finally {
      process.env.HOME = saved
    }
  })

  it('without a password, inline !vault values are reported where they are', async () => {
    const saved = process.env.HOME
    process.env.HOME = scratch({})
    try {
      const inventory = await loadInventory(path.join(fixtures, 'vaulted'))
      expect(() => inventory.hostVars('db1')).toThrow(`${vaulted}/group_vars/db.yaml: is encrypted with Ansible Vault`)
      expect(inventory.groupHosts('db')).toEqual(['db1'])
    } finally {
      process.env.HOME = saved
    }
  })
})

describe('loadInventory: sources', () => {
  it('reads the regular files of a directory in name order, skipping what Ansible ignores and sub-directories', async () => {
    const dir = scratch({
      '.hidden.yaml': 'hidden:\n  hosts:\n    h-hidden:\n',
      '10-first.yaml': 'first:\n  hosts:\n    a1:\n',
      '20-second': 'second:\n  hosts:\n    a2:\n',
      '30-third.json': '{"third": {"hosts": {"a3": null}}}',
      'README.md': '# not an inventory\n',
      'backup.yaml~': 'x:\n  hosts:\n    h-tilde:\n',
      'hosts.ini': '[web]\nw1\n',
      'lab/hosts.yaml': 'lab:\n  hosts:\n    h-lab:\n',
      'notes.txt': 'n:\n  hosts:\n    h-txt:\n',
      'old.bak': 'o:\n  hosts:\n    h-bak:\n',
      'script.sh': '#!/bin/sh\n',
      'setup.cfg': 'c:\n',
    })
    const inventory = await loadInventory(dir)
    expect([...inventory.hosts.keys()]).toEqual(['a1', 'a2', 'a3'])
    expect([...inventory.groups.keys()]).toEqual(['all', 'ungrouped', 'first', 'second', 'third'])
    expect(inventory.warnings).toEqual([`${path.join(dir, 'script.sh')}: not a YAML inventory file, skipped`])
  })

  it("finds group_vars/ and host_vars/ as Ansible's find_vars_files does", async () => {
    const dir = scratch({
      'group_vars/web': 'from: no-extension\n',
      'group_vars/web.yaml': 'from: yaml (not read: the extensionless file comes first)\n',
      'group_vars/db/10-a.yaml': 'a: 1\nshared: a\n',
      'group_vars/db/20-b': 'b: 2\nshared: b\n',
      'group_vars/db/30-c.bak': 'c: 3\n',
      'group_vars/db/sub/40-d.yml': 'd: 4\nshared: d\n',
      'group_vars/db/.hidden': 'hidden: true\n',
      'host_vars/h1.json': '{"from": "json"}',
      'host_vars/h2.yml': 'from: yml\n',
      'hosts.yaml': 'web:\n  hosts:\n    h1:\ndb:\n  hosts:\n    h2:\n',
    })
    const inventory = await loadInventory(path.join(dir, 'hosts.yaml'))
    expect(inventory.hostVars('h1').from).toBe('json')
    expect(inventory.groups.get('web')?.vars).toEqual({from: 'no-extension'})
    expect(inventory.groups.get('db')?.vars).toEqual({a: 1, b: 2, d: 4, shared: 'd'})
    expect(inventory.varLocation('h2', 'shared')).toEqual({
      col: 1,
      file: path.join(dir, 'group_vars/db/sub/40-d.yml'),
      line: 2,
    })
  })

  it('keeps file:line:col for every variable', async () => {
    const nested = path.join(fixtures, 'nested')
    const inventory = await loadInventory(nested)
    expect(inventory.varLocation('db1', 'ansible_host')).toEqual({col: 19, file: `${nested}/hosts.yaml`, line: 30})
    expect(inventory.varLocation('nas', 'ansible_port')).toEqual({col: 7, file: `${nested}/hosts.yaml`, line: 58})
    expect(inventory.varLocation('web02.example.net', 'web_more')).toEqual({
      col: 1,
      file: `${nested}/group_vars/web/20-more.yml`,
      line: 1,
    })
    expect(inventory.varLocation('db1', 'inventory_hostname')).toBeUndefined()
  })

  it('expands host ranges and host:port keys', async () => {
    const inventory = await loadInventory(path.join(fixtures, 'nested'))
    expect(inventory.groups.get('web')?.hosts).toEqual([
      'web01.example.net',
      'web02.example.net',
      'web03.example.net',
      'weba',
      'webb',
    ])
    expect(inventory.hostVars('webb').ansible_port).toBe(8022)
  })

  it('reports what Ansible only warns about: duplicate keys, a name that is a group and a host, empty files', async () => {
    const dir = scratch({
      'a.yaml': '',
      'b.yaml': 'all:\n  hosts:\n    web:\n      x: 1\n      x: 2\n  children:\n    web:\n      hosts:\n        w1:\n',
    })
    const inventory = await loadInventory(dir)
    expect(inventory.hostVars('web').x).toBe(2)
    expect(inventory.warnings).toEqual([
      `${dir}/a.yaml: empty inventory file, skipped`,
      `${dir}/b.yaml:5:7: duplicate key 'x' (the last value is used)`,
      "found both a group and a host named 'web'",
    ])
  })
})
