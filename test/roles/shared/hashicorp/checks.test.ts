import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {stringify} from 'yaml'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {runCli} from '../../../support/cli.js'

/**
 * The plan-time checks, through the built CLI: an inventory with a bad server group is refused (exit 3) before any
 * host is contacted. The hosts' addresses are on loopback, where nothing listens for them anyway.
 */

let dir: string

function inventory(name: string, groups: Record<string, string[]>, vars: Record<string, unknown> = {}): string {
  const hosts = [...new Set(Object.values(groups).flat())]
  const file = path.join(dir, `${name}.yaml`)
  const children = Object.fromEntries(
    Object.entries({...groups, step_ca: ['a']}).map(([group, members]) => [
      group,
      {hosts: Object.fromEntries(members.map((h) => [h, null]))},
    ]),
  )
  const all = {
    children,
    hosts: Object.fromEntries(hosts.map((host, i) => [host, {ansible_host: `127.0.0.${i + 20}`}])),
    vars,
  }
  writeFileSync(file, stringify({all}))
  return file
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gt-quorum-'))
})
afterAll(() => rmSync(dir, {force: true, recursive: true}))

describe('HashiCorp roles refuse an unsound quorum before anything runs', () => {
  it('setup_consul with two servers', async () => {
    const file = inventory('consul2', {consul: ['a', 'b', 'c'], consul_server: ['a', 'b']})
    const result = await runCli(['-i', file, 'setup_consul', '--check'])
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toContain(
      'goldentooth: consul cannot run: consul_server has 2 hosts (a, b): a Raft quorum of 2 needs 2 votes',
    )
    expect(result.stderr).not.toContain('this is a bug')
  })

  it('setup_nomad with one server', async () => {
    const file = inventory('nomad1', {
      consul: ['a', 'b'],
      consul_server: ['a'],
      nomad_client: ['b'],
      nomad_server: ['a'],
    })
    const result = await runCli(['-i', file, 'setup_nomad', '--check'])
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toContain('nomad_server has 1 host (a): one server is a quorum with no redundancy')
  })

  it('setup_nomad on a host that runs no Consul agent', async () => {
    const file = inventory('nomad-no-consul', {
      consul: ['a', 'b', 'c'],
      consul_server: ['a', 'b', 'c'],
      nomad_client: ['d'],
      nomad_server: ['a', 'b', 'c'],
    })
    const result = await runCli(['-i', file, 'setup_nomad', 'd', '--check'])
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toContain('d: Nomad talks to the local Consul agent, but d is not in the consul group')
  })

  it('setup_vault with Raft storage on four servers', async () => {
    const file = inventory('vault4', {vault: ['a', 'b', 'c', 'd']}, {vault: {storage: 'raft'}})
    const result = await runCli(['-i', file, 'setup_vault', '--check'])
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toContain('vault has 4 hosts (a, b, c, d): a Raft quorum of 4 needs 3 votes')
  })

  it('validate reports the same rule for the inventory (exit 3)', async () => {
    const file = inventory('consul4', {consul: ['a', 'b', 'c', 'd'], consul_server: ['a', 'b', 'c', 'd']})
    const result = await runCli(['-i', file, 'validate', 'consul', '--json'])
    expect(result.exitCode).toBe(3)
    const report = JSON.parse(result.stdout) as {roles: Array<{findings: Array<{message: string}>; role: string}>}
    expect(report.roles[0]!.findings[0]!.message).toMatch(/^consul_server has 4 hosts/)
  })
})
