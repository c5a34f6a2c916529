import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {SUITE_NAMES} from '../../src/health/suite-names.js'
import {LAB_STATE_FILE} from '../../src/lab/paths.js'
import {ROLES} from '../../src/roles/catalog.js'
import {ROOT, runCli} from '../support/cli.js'

/** `goldentooth __complete -- WORDS...` as the shell scripts call it, with no vault password anywhere. */
const scratch = mkdtempSync(path.join(os.tmpdir(), 'gt-complete-'))
const home = path.join(scratch, 'home')
mkdirSync(home)

async function complete(words: string[], env: Record<string, string> = {}): Promise<string[]> {
  const result = await runCli(['__complete', '--', ...words], {
    env: {ANSIBLE_VAULT_PASSWORD_FILE: '', GOLDENTOOTH_INVENTORY: 'inventory', HOME: home, ...env},
  })
  expect(result.stderr).toBe('')
  expect(result.exitCode).toBe(0)
  return result.stdout.split('\n').filter((line) => line !== '')
}

const LAB = path.join(ROOT, 'inventory/lab')
const VAULTED = path.join(ROOT, 'test/fixtures/inventory/vaulted')

describe('completing command names', () => {
  it('offers the top-level commands and topics, not the hidden completion command', async () => {
    const names = await complete([''])
    expect(names).toEqual(
      expect.arrayContaining(['command', 'command_all', 'inventory', 'lab', 'test', 'setup_consul']),
    )
    expect(names).toEqual(expect.arrayContaining(['autocomplete', 'configure_cluster', 'vault', 'ssh']))
    expect(names).not.toContain('__complete')
    expect(new Set(names).size).toBe(names.length)
  })

  it('completes a prefix', async () => {
    expect(await complete(['inv'])).toEqual(['inventory'])
    expect(await complete(['setup_c'])).toEqual(['setup_cert_canary', 'setup_consul'])
    expect(await complete(['command'])).toEqual(['command', 'command_all', 'command_root'])
  })

  it("offers a topic's commands", async () => {
    expect(await complete(['inventory', ''])).toEqual(['eval', 'graph', 'hosts', 'show'])
    expect(await complete(['lab', ''])).toEqual(['down', 'reset', 'ssh', 'status', 'up'])
    expect(await complete(['vault', 'u'])).toEqual(['unseal'])
  })

  it('offers after test both its subcommands and the suites', async () => {
    expect(await complete(['test', ''])).toEqual(['all', 'list', ...SUITE_NAMES])
    expect(await complete(['test', 'l'])).toEqual(['list'])
  })

  it('skips the global flags given before the command', async () => {
    expect(await complete(['-i', LAB, '--no-color', 'inventory', 'h'])).toEqual(['hosts'])
  })

  it('offers nothing after an unknown command', async () => {
    expect(await complete(['nosuchcommand', ''])).toEqual([])
  })
})

describe('completing flags', () => {
  it("offers the command's own flags", async () => {
    const flags = await complete(['inventory', 'hosts', '--'])
    expect(flags).toEqual(['--json', '--no-color', '--inventory', '--limit', '--vault-password-file', '--help'])
    expect(await complete(['command', 'all', '--fo'])).toEqual(['--forks'])
    expect(await complete(['setup_consul', '--ch'])).toEqual(['--check'])
  })

  it('offers nothing for the words after --, which are the remote command', async () => {
    expect(await complete(['command', 'all', '--', ''])).toEqual([])
    expect(await complete(['command', 'all', '--', '--'])).toEqual([])
  })
})

describe('completing fixed values', () => {
  it('offers suites for test, again after the first', async () => {
    expect(await complete(['test', 'co'])).toEqual(['consul'])
    expect(await complete(['test', 'system', 'ti'])).toEqual(['time'])
    const all = await complete(['test', 'all', ''])
    expect(all).toContain('consul_server')
    expect(all).not.toContain('system')
  })

  it('offers roles for render and validate', async () => {
    const roles = ROLES.map((role) => role.name)
    expect(await complete(['render', ''])).toEqual(roles)
    expect(await complete(['validate', 'nfs'])).toEqual(['nfs_exports', 'nfs_mounts'])
  })

  it('offers the running lab nodes for lab ssh and lab reset (none without a lab)', async () => {
    let nodes: string[] = []
    try {
      nodes = Object.keys(JSON.parse(readFileSync(LAB_STATE_FILE, 'utf8')).nodes)
    } catch {}
    expect(await complete(['lab', 'ssh', ''])).toEqual(nodes)
    expect(await complete(['lab', 'reset', ''])).toEqual(nodes)
  })

  it('offers nothing for a value given as a file or a number', async () => {
    expect(await complete(['command', 'all', '-i', ''])).toEqual([])
    expect(await complete(['lab', 'up', '--nodes', ''])).toEqual([])
  })
})

describe('completing host patterns from the shipped inventory', () => {
  it('offers groups, then hosts', async () => {
    const names = await complete(['command', ''])
    expect(names.slice(0, 3)).toEqual(['all', 'ungrouped', 'all_nodes'])
    expect(names).toEqual(expect.arrayContaining(['consul_server', 'nomad_client_gpu', 'jast', 'velaryon']))
    expect(await complete(['ping', 'consul_s'])).toEqual(['consul_server'])
  })

  it.each([
    ['consul_server,ja', 'consul_server,jast'],
    ['consul_server:ja', 'consul_server:jast'],
    ['consul_server:!ja', 'consul_server:!jast'],
    ['consul_server:&nomad_s', 'consul_server:&nomad_server'],
  ])('completes after an operator: %s', async (word, expected) => {
    expect(await complete(['command', word])).toEqual([expected])
  })

  it("reads words as typed, in the shell's quotes, and offers the text inside them", async () => {
    expect(await complete(['command', "'consul_server:!ja"])).toEqual(['consul_server:!jast'])
    expect(await complete(['-i', `'${LAB}'`, 'command', '"lab1:la'])).toContain('lab1:lab2')
  })

  it('completes every command whose argument is a pattern, and --limit', async () => {
    expect(await complete(['inventory', 'hosts', 'ja'])).toEqual(['jast'])
    expect(await complete(['setup_consul', 'ja'])).toEqual(['jast'])
    expect(await complete(['test', 'system', 'ja'])).toEqual(['jast'])
    expect(await complete(['render', 'consul', 'ja'])).toEqual(['jast'])
    expect(await complete(['command', 'all', '--limit', 'ja'])).toEqual(['jast'])
    expect(await complete(['command', 'all', '-l', 'all:!ja'])).toEqual(['all:!jast'])
    expect(await complete(['command', 'all', '--limit=ja'])).toEqual(['--limit=jast'])
  })

  it('offers hosts for inventory show and groups for inventory graph', async () => {
    expect(await complete(['inventory', 'show', 'ja'])).toEqual(['jast'])
    expect(await complete(['inventory', 'show', 'consul'])).toEqual([])
    expect(await complete(['inventory', 'graph', 'consul_'])).toEqual(['consul_server', 'consul_client'])
  })
})

describe('the inventory in effect', () => {
  it('is the one -i or --inventory names on the line, before or after the command', async () => {
    const lab = ['lab1', 'lab2', 'lab3', 'lab4', 'lab5']
    expect(await complete(['-i', LAB, 'command', 'lab'])).toEqual(lab)
    expect(await complete(['command', '-i', LAB, 'lab'])).toEqual(lab)
    expect(await complete(['command', `--inventory=${LAB}`, 'lab'])).toEqual(lab)
    expect(await complete(['command', `-i${LAB}`, 'lab'])).toEqual(lab)
  })

  it('is GOLDENTOOTH_INVENTORY otherwise', async () => {
    expect(await complete(['command', 'lab'], {GOLDENTOOTH_INVENTORY: LAB})).toContain('lab1')
  })

  it('needs no vault password for its names', async () => {
    expect(await complete(['-i', VAULTED, 'command', 'd'])).toEqual(['db', 'db1'])
  })

  it('gives no host names and no error output when it cannot be read', async () => {
    const broken = path.join(scratch, 'broken')
    mkdirSync(broken)
    writeFileSync(path.join(broken, 'hosts.yaml'), 'all:\n  hosts: [unclosed\n')
    expect(await complete(['-i', broken, 'command', ''])).toEqual([])
    expect(await complete(['-i', path.join(scratch, 'missing'), 'command', ''])).toEqual([])
    expect(await complete(['-i', broken, 'command', 'all', '--f'])).toEqual(['--forks'])
  })
})
