import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {loadInventory} from '../../src/inventory/load.js'
import type {Inventory} from '../../src/inventory/model.js'
import {selectHosts} from '../../src/patterns/select.js'
import {runCli} from '../support/cli.js'
import {
  ROLES,
  addressOf,
  dcOf,
  hostName,
  isDbPrimary,
  isUngrouped,
  rackOf,
  writeGeneratedInventory,
} from '../support/generated-inventory.js'

// vitest sets NODE_ENV=test, which an operator's shell does not: oclif would then warn about TypeScript sources.
const OPERATOR_ENV = {NODE_ENV: ''}

const HOSTS = 10_000
let dir: string
let inventory: Inventory

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gt-large-'))
  await writeGeneratedInventory(dir, HOSTS)
  inventory = await loadInventory(dir)
})
afterAll(() => rm(dir, {force: true, recursive: true}))

/** What host i's merged variables must hold, from the generator's rules and Ansible's precedence. */
function expectedVars(i: number): Record<string, unknown> {
  const dc = Number(dcOf(i).slice(3))
  const role = ROLES[i % 4]!
  const grouped = !isUngrouped(i)
  const env = dc < 2 ? 'prod' : 'staging'
  return {
    ansible_host: addressOf(i),
    ansible_port: 22,
    ansible_user: 'ops',
    host_index: i,
    inventory_hostname: hostName(i),
    log_level: i % 5 === 0 ? 'debug' : grouped && env === 'prod' ? 'warning' : 'info',
    ntp_servers: ['ntp1.example.net', 'ntp2.example.net'],
    serial: `SN-${i.toString(16)}`,
    ...(grouped
      ? {
          datacenter: `dc${dc}`,
          env,
          gateway: `10.${dc}.0.1`,
          rack_id: Math.floor(i / 50),
          role: isDbPrimary(i) ? 'db-primary' : role,
        }
      : {}),
  }
}

function expectedGroups(i: number): string[] {
  if (isUngrouped(i)) return ['ungrouped']
  const role = ROLES[i % 4]!
  const primary = isDbPrimary(i) ? ['db_primary'] : []
  return [dcOf(i), role, ...primary, Number(dcOf(i).slice(3)) < 2 ? 'prod' : 'staging', rackOf(i)].sort()
}

describe(`a generated Ansible-style inventory of ${HOSTS} hosts (test/support/generated-inventory.ts)`, () => {
  it('loads every host and group', () => {
    expect(inventory.hosts.size).toBe(HOSTS)
    expect(inventory.groupHosts('all')).toHaveLength(HOSTS)
    expect(inventory.groupHosts('ungrouped')).toHaveLength(HOSTS / 100)
    expect(inventory.groupHosts('rack_123')).toEqual(Array.from({length: 49}, (_, k) => hostName(6150 + k)))
    expect(inventory.groupHosts('db_primary')).toHaveLength(HOSTS / 80)
  })

  it('merges each host’s variables and groups as Ansible would (spot checks)', () => {
    for (const i of [0, 1, 3, 99, 161, 4242, 5001, 7777, 9999]) {
      expect(inventory.hostVars(hostName(i)), hostName(i)).toMatchObject(expectedVars(i))
      expect(inventory.groupNames(hostName(i)), hostName(i)).toEqual(expectedGroups(i))
    }
    expect(inventory.hostVars(hostName(3)).inline_note).toBe('from hosts.yaml 3')
    expect(inventory.hostVars(hostName(4242)).groups).toBe(inventory.hostVars(hostName(7)).groups)
  })

  it('selects with patterns over all of it', () => {
    const hosts = selectHosts(inventory, 'db_primary:&dc_1:!n00081').hosts
    expect(hosts).toEqual(
      Array.from({length: HOSTS}, (_, i) => i)
        .filter((i) => isDbPrimary(i) && dcOf(i) === 'dc_1' && i !== 81)
        .map(hostName),
    )
    expect(selectHosts(inventory, '~n0424[0-9]$').hosts).toHaveLength(10)
  })

  it('through the CLI: one host’s merged variables', async () => {
    const cli = await runCli(['-i', dir, 'inventory', 'show', hostName(4242), '--json'], {env: OPERATOR_ENV})
    expect(cli.stderr).toBe('')
    expect(cli.exitCode).toBe(0)
    const {hosts} = JSON.parse(cli.stdout) as {hosts: Record<string, Record<string, unknown>>}
    expect(hosts[hostName(4242)]).toMatchObject({...expectedVars(4242), group_names: expectedGroups(4242)})
  })
})
