import {mkdtempSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {suitesAndPattern} from '../../src/health/arguments.js'
import {SUITES} from '../../src/health/catalog.js'
import {hostsToContact, planHealth} from '../../src/health/plan.js'
import {loadInventory} from '../../src/inventory/load.js'
import {ROOT} from '../support/cli.js'

const shipped = loadInventory(path.join(ROOT, 'inventory'))
const suites = (...names: string[]) => SUITES.filter((suite) => names.includes(suite.name))

describe('planning: which checks run where comes from the inventory groups', () => {
  it('consul and vault checks go only to their hosts; other hosts are not contacted for them', async () => {
    const inventory = await shipped
    const plan = planHealth(inventory, [...inventory.hosts.keys()], suites('consul', 'vault'))
    const checksOn = (host: string) =>
      plan.hosts.find((h) => h.context.host === host)!.checks.map((c) => `${c.suite}/${c.check.name}`)
    expect(checksOn('erenford')).toEqual([
      'consul/unit:consul',
      'consul/ports:server',
      'consul/api',
      'vault/unit:vault',
      'vault/ports:vault',
      'vault/unsealed',
    ])
    expect(checksOn('allyrion')).toEqual(['consul/unit:consul', 'consul/ports:client', 'consul/api'])
    const contacted = hostsToContact(plan).map((h) => h.context.host)
    expect(contacted).toHaveLength(17)
    const leader = plan.cluster.find((c) => c.suite === 'consul' && c.check.name === 'leader')!
    expect(leader.collectors).toEqual(['erenford', 'fenn', 'gardener'])
  })

  it('checks that share a probe share one run of it on the host', async () => {
    const inventory = await shipped
    const plan = planHealth(inventory, ['erenford'], suites('system', 'consul', 'vault'))
    const host = plan.hosts[0]!
    const resources = host.checks
      .filter((c) => ['cpu', 'memory', 'disk', 'load'].includes(c.check.name))
      .map((c) => c.probe)
    expect(new Set(resources).size).toBe(1)
    const ports = host.checks.filter((c) => c.check.name.startsWith('ports:')).map((c) => c.probe)
    expect(new Set(ports).size).toBe(1)
    expect(host.probes.length).toBeLessThan(host.checks.length)
  })

  it('a narrowed pattern leaves cluster checks whose group was not selected as skipped, saying why', async () => {
    const inventory = await shipped
    const plan = planHealth(inventory, ['allyrion'], suites('consul'))
    const members = plan.cluster.find((c) => c.check.name === 'members')!
    expect(members).toMatchObject({collectors: [], notSelected: 'no host of consul_server was selected'})
  })

  it('health_skip_suites skips a suite on a host and says where that was set', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gt-plan-'))
    writeFileSync(
      path.join(dir, 'hosts.yaml'),
      'all:\n  vars:\n    health_skip_suites: [consul]\n  children:\n    consul_server: {hosts: {a: {}, b: {}}}\n',
    )
    const inventory = await loadInventory(path.join(dir, 'hosts.yaml'))
    const plan = planHealth(inventory, ['a', 'b'], suites('consul', 'time'))
    expect(plan.hosts[0]!.skipped).toEqual([{suite: 'consul', where: `${path.join(dir, 'hosts.yaml')}:3:5`}])
    expect(plan.hosts[0]!.checks.map((c) => c.suite)).toEqual(['time', 'time'])
    expect(plan.cluster).toEqual([])
  })

  it('a health variable of the wrong kind, or an unknown suite to skip, is an inventory error at its file:line:col', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gt-plan-'))
    const file = path.join(dir, 'hosts.yaml')
    writeFileSync(file, 'all:\n  hosts:\n    a:\n      health_disk_percent_max: lots\n')
    const bad = await loadInventory(file)
    expect(() => planHealth(bad, ['a'], suites('system'))).toThrow(
      `${file}:4:7: health_disk_percent_max must be a number of at least 0, not "lots" (host a)`,
    )
    writeFileSync(file, 'all:\n  hosts:\n    a:\n      health_skip_suites: [consull]\n')
    const typo = await loadInventory(file)
    expect(() => planHealth(typo, ['a'], suites('system'))).toThrow(
      /hosts.yaml:4:7: health_skip_suites names no suite: "consull"/,
    )
  })
})

describe('test SUITE... [PATTERN]', () => {
  it('leading suite names, then one pattern', () => {
    expect(suitesAndPattern(['consul'])).toEqual({pattern: 'all', suites: ['consul']})
    expect(suitesAndPattern(['system', 'time', 'lab2'])).toEqual({pattern: 'lab2', suites: ['system', 'time']})
    expect(suitesAndPattern(['slurm', 'slurm'])).toEqual({pattern: 'all', suites: ['slurm']})
  })

  it('an unknown suite is a usage error naming the closest', () => {
    expect(() => suitesAndPattern(['consull'])).toThrow('consull is not a suite (did you mean consul?)')
    expect(() => suitesAndPattern(['consul', 'vaultt', 'lab1'])).toThrow('vaultt is not a suite (did you mean vault?)')
    expect(() => suitesAndPattern([])).toThrow('name at least one suite')
  })
})
