import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {UsageError} from '../../src/core/errors.js'
import {loadInventory} from '../../src/inventory/load.js'
import type {Inventory} from '../../src/inventory/model.js'
import {selectHosts} from '../../src/patterns/select.js'
import {ansibleBinary, ansibleListHosts, askAnsible} from '../support/ansible.js'

const binary = ansibleBinary()
const runs = Boolean(binary) || Boolean(process.env.CI)
if (!runs) console.warn('skipping the Ansible differential test: `ansible` is not installed (apt-get install ansible)')

const SEEDS = [0, 1, 2]
const fixtures = path.resolve('test/fixtures/inventory')
const scratch = mkdtempSync(path.join(tmpdir(), 'gt-differential-'))
const retryFile = path.join(scratch, 'failed.retry')
writeFileSync(retryFile, 'fenn\nbettley\n\nnot-a-host\n')

type Case = [pattern: string, limit: string | null]

/** Pattern syntax that does not depend on the inventory's names. */
const GENERIC: Case[] = [
  ['all', null],
  ['*', null],
  ['ungrouped', null],
  ['ungr*', null],
  ['al*', null],
  ['all:!all', null],
  ['!ungrouped', null],
  ['&all', null],
  ['!', null],
  ['~', null],
  ['~(', null],
  ['no_such_group', null],
  ['no_such_group,also_missing', null],
  ['*.example.net', null],
  ['?', null],
  ['all[0]', null],
  ['all[-1]', null],
  ['all[1:3]', null],
  ['all[2:]', null],
  ['all[3:0]', null],
  ['all[0-1]', null],
  ['all[100]', null],
  ['all[-100]', null],
  ['all[50:60]', null],
  ['all', 'all'],
  ['all', ''],
  ['all', 'no_such_group'],
]

/**
 * Names Ansible resolves to an implicit localhost when nothing else matches; goldentooth has no implicit hosts, so
 * they are left out here (and a pattern that splits into nothing, like '[', selects all in Ansible but is an error).
 */
const IMPLICIT_LOCALHOST = new Set(['localhost', '127.0.0.1', '::1'])

function casesFor(inventory: Inventory): Case[] {
  const named = (name: string): boolean => name !== 'all' && name !== 'ungrouped' && !IMPLICIT_LOCALHOST.has(name)
  const groups = [...inventory.groups.keys()].filter(named)
  const hosts = [...inventory.hosts.keys()].filter(named)
  const [g1, g2, g3] = [groups[0]!, groups[Math.floor(groups.length / 2)]!, groups.at(-1)!]
  const [h1, h2] = [hosts[0]!, hosts.at(-1)!]
  const cases: Case[] = [
    ...groups.map((g): Case => [g, null]),
    ...groups.map((g): Case => [`${g}[0]`, null]),
    ...groups.map((g): Case => [`${g}[-1]`, null]),
    ...groups.map((g): Case => [`all:!${g}`, null]),
    ...hosts.map((h): Case => [h, null]),
    [`${g1},${g2}`, null],
    [`${g1}:${g2}`, null],
    [`${g2}:${g1}:${g3}`, null],
    [` ${g1} , ${g2} `, null],
    [`${g1}:&${g2}`, null],
    [`${g1}:!${g2}`, null],
    [`!${g2}:${g1}`, null],
    [`&${g1}:&${g2}`, null],
    [`${g1}:${g2}:&${g3}:!${h1}`, null],
    [`${g1},${g1}`, null],
    [`${h1},${h2},${h1}`, null],
    [`${h2}:${g1}`, null],
    [`!${h1}`, null],
    [`${h1}[0]`, null],
    [`${g2}[1:2]`, null],
    [`${g2}[1:]`, null],
    [`${g2}[0:0]`, null],
    [`${g2}[1-2]`, null],
    [`${g2}[9]`, null],
    [`${g1.slice(0, -1)}`, null],
    [`${g1.slice(0, 3)}*`, null],
    [`*${g1.slice(-3)}`, null],
    [`${h1.slice(0, 2)}*`, null],
    [`${h1[0]}*,${h2[0]}*`, null],
    [`?${h1.slice(1)}`, null],
    [`[a-m]*`, null],
    [`[!a-m]*`, null],
    [`[m-a]*`, null],
    [`*[0-9]*`, null],
    [`~^${h1.slice(0, 2)}`, null],
    [`~${h1.slice(1, 3)}`, null],
    [`~.*${h2.slice(-2)}$`, null],
    [`~(?i)${h1.toUpperCase()}`, null],
    [`~(?P<start>${h1[0]})`, null],
    [`~${g1}|${g2}`, null],
    [`${g1}*[0]`, null],
    [`all`, g1],
    [`all`, `${g1},${g2}`],
    [`all`, `!${g2}`],
    [g1, `${g2}[0:1]`],
    [g1, h1],
    [`all`, `@${retryFile}`],
    [g2, `@${retryFile}`],
    [`all`, `@${path.join(scratch, 'missing.retry')}`],
  ]
  return [...cases, ...GENERIC]
}

type Outcome = {hosts: string[]} | {error: string}

function ours(inventory: Inventory, [pattern, limit]: Case): Outcome {
  try {
    return {hosts: selectHosts(inventory, pattern, limit === null ? {} : {limit}).hosts}
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    return /matched no hosts|selects no hosts/.test(error.message) ? {hosts: []} : {error: error.message}
  }
}

const same = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i])

/** Inventories for Ansible and for goldentooth: a file, or a directory Ansible reads the same way. */
const INVENTORIES: Record<string, string> = {
  'goldentooth-ansible (the original layout)': path.join(fixtures, 'goldentooth-ansible/inventory'),
  'multi (a directory of inventory files)': path.join(fixtures, 'multi'),
  'nested (deep groups, ungrouped hosts, ranges, group_vars)': path.join(fixtures, 'nested'),
  'shipped (inventory/hosts.yaml)': path.resolve('inventory/hosts.yaml'),
}

const totals = {cli: 0, exact: 0, varies: 0}
afterAll(() => {
  if (!runs) return
  console.log(
    `ansible differential: ${totals.exact + totals.varies} patterns; ${totals.exact} equal real Ansible in exact order ` +
      `under PYTHONHASHSEED ${SEEDS.join(',')}; ${totals.varies} where Ansible's own order varies with Python set ` +
      `iteration: equal to Ansible run with goldentooth's iteration order, and as sets unless subscripted; ` +
      `${totals.cli} also through the ansible CLI`,
  )
})

describe.runIf(runs)('host patterns equal Ansible (ansible-core, InventoryManager.list_hosts)', () => {
  for (const [name, source] of Object.entries(INVENTORIES)) {
    it(name, async () => {
      if (!binary) throw new Error('ansible is not installed: CI must install it (apt-get install ansible)')
      const inventory = await loadInventory(source)
      const cases = casesFor(inventory)
      const walked = askAnsible(binary, {inventory: source, ordered_walk: true, patterns: cases}).patterns
      const seeded = SEEDS.map((seed) => askAnsible(binary, {inventory: source, patterns: cases}, seed).patterns)
      const mismatches: string[] = []
      cases.forEach((testCase, i) => {
        const label = `${JSON.stringify(testCase[0])}${testCase[1] === null ? '' : ` --limit ${testCase[1]}`}`
        const mine = ours(inventory, testCase)
        const theirs = walked[i]!
        if ('error' in theirs || 'error' in mine) {
          if (!('error' in theirs && 'error' in mine)) {
            mismatches.push(`${label}: ansible ${JSON.stringify(theirs)}, goldentooth ${JSON.stringify(mine)}`)
          }
          totals.exact += 1
          return
        }
        if (!same(mine.hosts, theirs.hosts)) {
          mismatches.push(`${label}: ansible ${theirs.hosts.join(',')} ≠ goldentooth ${mine.hosts.join(',')}`)
          return
        }
        const real = seeded.map((answer) => answer[i]!).map((r) => ('hosts' in r ? r.hosts : []))
        if (real.every((order) => same(order, mine.hosts))) {
          totals.exact += 1
          return
        }
        totals.varies += 1
        const subscripted = /\[/.test(testCase[0]) || /\[/.test(testCase[1] ?? '')
        if (!subscripted && !same([...real[0]!].sort(), [...mine.hosts].sort())) {
          mismatches.push(`${label}: ansible {${real[0]!.join(',')}} ≠ goldentooth {${mine.hosts.join(',')}}`)
        }
      })
      expect(mismatches).toEqual([])
    })
  }

  it('through the ansible CLI as well (--list-hosts, --limit)', async () => {
    if (!binary) throw new Error('ansible is not installed: CI must install it (apt-get install ansible)')
    const shipped = INVENTORIES['shipped (inventory/hosts.yaml)']!
    const nested = INVENTORIES['nested (deep groups, ungrouped hosts, ranges, group_vars)']!
    const cliCases: [string, ...Case][] = [
      [shipped, 'consul_server:nomad_client:!velaryon', null],
      [shipped, 'k8s_worker[1:3],seaweedfs_master[-1]', null],
      [shipped, '~^[a-f].*n$:&consul_client', null],
      [shipped, 'all', `@${retryFile}`],
      [nested, 'db:&backup', null],
      [nested, 'web*:!web_canary', 'monitoring,web[0]'],
    ]
    for (const [source, pattern, limit] of cliCases) {
      const inventory = await loadInventory(source)
      const theirs = ansibleListHosts(binary, source, pattern, limit ?? undefined)
      const mine = ours(inventory, [pattern, limit])
      expect({hosts: theirs}, `${pattern} --limit ${limit}`).toEqual(mine)
      totals.cli += 1
    }
  })
})
