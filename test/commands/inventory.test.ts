import {execFileSync} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {describe, expect, it} from 'vitest'

import {ansibleBinary} from '../support/ansible.js'
import {runCli} from '../support/cli.js'

const fixtures = path.resolve('test/fixtures/inventory')

/** The built CLI, as the operator runs it. */
const run = (command: string, argv: string[]) => runCli([...command.split(' '), ...argv])

describe('inventory hosts', () => {
  it('prints one host per line, warnings on stderr', async () => {
    const result = await run('inventory hosts', ['consul_server:consul_servr', '--inventory', 'inventory'])
    expect(result).toEqual({
      exitCode: 0,
      stderr: "warning: pattern 'consul_servr' matched no hosts (did you mean group 'consul_server'?)\n",
      stdout: 'erenford\nfenn\ngardener\n',
    })
  })

  it('prints one JSON document with --json, and honours --limit', async () => {
    const result = await run('inventory hosts', [
      'k8s_worker',
      '-i',
      'inventory',
      '--limit',
      'seaweedfs_master',
      '--json',
    ])
    expect(JSON.parse(result.stdout)).toEqual({hosts: ['manderly', 'norcross', 'oakheart']})
  })

  it('is a usage error (exit 2) without a pattern or when nothing matches', async () => {
    expect((await run('inventory hosts', ['-i', 'inventory'])).exitCode).toBe(2)
    const none = await run('inventory hosts', ['nomad_servr', '-i', 'inventory'])
    expect(none.exitCode).toBe(2)
    expect(none.stderr).toContain(
      "goldentooth: pattern 'nomad_servr' matched no hosts (did you mean group 'nomad_server'?)",
    )
  })

  it('exits 3 with file:line:col for an invalid inventory', async () => {
    const result = await run('inventory hosts', ['all', '-i', path.join(fixtures, 'bad/syntax')])
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toBe(
      `goldentooth: ${fixtures}/bad/syntax/hosts.yaml:6:8: YAML: All mapping items must start at the same column\n`,
    )
  })
})

describe('inventory show', () => {
  it("shows a host's merged variables as YAML, vault values masked", async () => {
    const args = ['db1', '-i', path.join(fixtures, 'vaulted'), '--vault-password-file', `${fixtures}/vaulted.password`]
    const masked = await run('inventory show', args)
    expect(masked.stdout).toContain('db_password: <vault>\n')
    expect(masked.stdout).toContain('api:\n  url: https://db1.example.net\n  token: <vault>\n')
    expect(masked.stdout).not.toContain('groups:')
    const shown = await run('inventory show', [...args, '--show-secrets', '--json'])
    expect(JSON.parse(shown.stdout).hosts.db1).toMatchObject({db_password: 's3cret-db-password', group_names: ['db']})
  })

  it('names the closest host when the host is unknown', async () => {
    const result = await run('inventory show', ['velarion', '-i', 'inventory'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain("goldentooth: unknown host 'velarion' (did you mean 'velaryon'?)")
  })
})

describe('inventory graph', () => {
  it('draws the tree exactly as ansible-inventory --graph does', async () => {
    const binary = ansibleBinary()
    if (!binary && !process.env.CI) return
    const inventoryCli = path.join(path.dirname(binary ?? '/usr/bin/ansible'), 'ansible-inventory')
    for (const source of [path.resolve('inventory/hosts.yaml'), path.join(fixtures, 'nested')]) {
      for (const group of ['all', 'k8s_cluster', 'site']) {
        const mine = await run('inventory graph', [group, '-i', source])
        if (mine.exitCode !== 0) continue
        const theirs = execFileSync(inventoryCli, ['-i', source, '--graph', group], {encoding: 'utf8', stdio: 'pipe'})
        expect(mine.stdout, `${source} ${group}`).toBe(theirs)
      }
    }
  })
})

describe('list_groups', () => {
  it('lists every group with its host count and hosts', async () => {
    const {stdout} = await run('list_groups', ['-i', 'inventory'])
    const lines = stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(41)
    expect(lines).toContain('consul_server       3  erenford,fenn,gardener')
    expect(lines).toContain('seaweedfs_master    3  manderly,norcross,oakheart')
    const json = JSON.parse((await run('list_groups', ['-i', 'inventory', '--json'])).stdout)
    expect(json.groups[0]).toMatchObject({count: 17, name: 'all'})
  })
})

describe('every inventory mistake reaches the operator as one line (exit 3)', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'gt-bad-inventory-'))
  const write = (name: string, text: string) => {
    const file = path.join(scratch, name)
    writeFileSync(file, text)
    return file
  }
  const cases: Array<[string, string, RegExp]> = [
    ['tabs.yaml', 'all:\n  hosts:\n\ta:\n', /tabs\.yaml:3:\d+: YAML: Tabs are not allowed/],
    [
      'cycle.yaml',
      'all:\n  children:\n    a:\n      children:\n        b:\n    b:\n      children:\n        a:\n',
      /cycle/,
    ],
    ['port.yaml', 'all:\n  hosts:\n    a:\n      ansible_port: x\n', /port\.yaml:4:7: ansible_port must be an integer/],
    ['list.yaml', 'all:\n  children:\n    - a\n    - b\n', /list\.yaml:3:\d+: .*children/],
    ['misspelt.yaml', 'all:\n  childern:\n    a:\n      hosts:\n        h1:\n', /misspelt\.yaml:2:\d+: .*childern/],
    ['empty.yaml', '', /empty\.yaml: the inventory file is empty/],
  ]

  it.each(cases)('%s', async (name, text, message) => {
    const {exitCode, stderr} = await run('inventory hosts', ['all', '-i', write(name, text)])
    expect(exitCode).toBe(3)
    expect(stderr).toMatch(new RegExp(`^goldentooth: .*${message.source}`, 'm'))
    expect(stderr).not.toMatch(/this is a bug|^\s+at /m)
  })

  it('a wrong vault password', async () => {
    const password = write('wrong.password', 'not-the-password\n')
    const args = ['all', '-i', path.join(fixtures, 'vaulted'), '--vault-password-file', password]
    const {exitCode, stderr} = await run('inventory show', args)
    expect(exitCode).toBe(3)
    expect(stderr).toMatch(/^goldentooth: .*(decrypt|password)/m)
    expect(stderr).not.toMatch(/this is a bug|^\s+at /m)
  })

  it('--vault-password-file before the command is read like -i', async () => {
    const password = `${fixtures}/vaulted.password`
    const result = await runCli([
      '--vault-password-file',
      password,
      '-i',
      path.join(fixtures, 'vaulted'),
      'inventory',
      'show',
      'db1',
      '--show-secrets',
    ])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('db_password: s3cret-db-password\n')
  })
})
