import {execFileSync} from 'node:child_process'
import path from 'node:path'

import {afterEach, describe, expect, it, vi} from 'vitest'

import InventoryGraph from '../../commands/inventory/graph.js'
import InventoryHosts from '../../commands/inventory/hosts.js'
import InventoryShow from '../../commands/inventory/show.js'
import ListGroups from '../../commands/list_groups.js'
import {ansibleBinary} from '../support/ansible.js'

const root = path.resolve('.')
const fixtures = path.resolve('test/fixtures/inventory')

/** Run a command in-process; returns what it printed and the exit code it set. */
async function run(
  command: {run(argv: string[], opts: string): Promise<unknown>},
  argv: string[],
): Promise<{stdout: string; stderr: string; exitCode: number}> {
  const out: string[] = []
  const err: string[] = []
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0)
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0)
  vi.spyOn(console, 'log').mockImplementation((text: unknown) => void out.push(`${String(text)}\n`))
  process.exitCode = undefined
  try {
    await command.run(argv, root)
  } finally {
    vi.restoreAllMocks()
  }
  const exitCode = Number(process.exitCode ?? 0)
  process.exitCode = undefined
  return {exitCode, stderr: err.join(''), stdout: out.join('')}
}

afterEach(() => {
  process.exitCode = undefined
})

describe('inventory hosts', () => {
  it('prints one host per line, warnings on stderr', async () => {
    const result = await run(InventoryHosts, ['consul_server:consul_servr', '--inventory', 'inventory'])
    expect(result).toEqual({
      exitCode: 0,
      stderr: "warning: pattern 'consul_servr' matched no hosts (did you mean group 'consul_server'?)\n",
      stdout: 'erenford\nfenn\ngardener\n',
    })
  })

  it('prints one JSON document with --json, and honours --limit', async () => {
    const result = await run(InventoryHosts, ['k8s_worker', '-i', 'inventory', '--limit', 'seaweedfs_master', '--json'])
    expect(JSON.parse(result.stdout)).toEqual({hosts: ['manderly', 'norcross', 'oakheart']})
  })

  it('is a usage error (exit 2) without a pattern or when nothing matches', async () => {
    expect((await run(InventoryHosts, ['-i', 'inventory'])).exitCode).toBe(2)
    const none = await run(InventoryHosts, ['nomad_servr', '-i', 'inventory'])
    expect(none.exitCode).toBe(2)
    expect(none.stderr).toContain(
      "goldentooth: pattern 'nomad_servr' matched no hosts (did you mean group 'nomad_server'?)",
    )
  })

  it('exits 3 with file:line:col for an invalid inventory', async () => {
    const result = await run(InventoryHosts, ['all', '-i', path.join(fixtures, 'bad/syntax')])
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toBe(
      `goldentooth: ${fixtures}/bad/syntax/hosts.yaml:6:8: YAML: All mapping items must start at the same column\n`,
    )
  })
})

describe('inventory show', () => {
  it("shows a host's merged variables as YAML, vault values masked", async () => {
    const args = ['db1', '-i', path.join(fixtures, 'vaulted'), '--vault-password-file', `${fixtures}/vaulted.password`]
    const masked = await run(InventoryShow, args)
    expect(masked.stdout).toContain('db_password: <vault>\n')
    expect(masked.stdout).toContain('api:\n  url: https://db1.example.net\n  token: <vault>\n')
    expect(masked.stdout).not.toContain('groups:')
    const shown = await run(InventoryShow, [...args, '--show-secrets', '--json'])
    expect(JSON.parse(shown.stdout).hosts.db1).toMatchObject({db_password: 's3cret-db-password', group_names: ['db']})
  })

  it('names the closest host when the host is unknown', async () => {
    const result = await run(InventoryShow, ['velarion', '-i', 'inventory'])
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
        const mine = await run(InventoryGraph, [group, '-i', source])
        if (mine.exitCode !== 0) continue
        const theirs = execFileSync(inventoryCli, ['-i', source, '--graph', group], {encoding: 'utf8', stdio: 'pipe'})
        expect(mine.stdout, `${source} ${group}`).toBe(theirs)
      }
    }
  })
})

describe('list_groups', () => {
  it('lists every group with its host count and hosts', async () => {
    const {stdout} = await run(ListGroups, ['-i', 'inventory'])
    const lines = stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(41)
    expect(lines).toContain('consul_server       3  erenford,fenn,gardener')
    expect(lines).toContain('seaweedfs_master    3  manderly,norcross,oakheart')
    const json = JSON.parse((await run(ListGroups, ['-i', 'inventory', '--json'])).stdout)
    expect(json.groups[0]).toMatchObject({count: 17, name: 'all'})
  })
})
