import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {beforeAll, describe, expect, it} from 'vitest'

import {UsageError} from '../../src/core/errors.js'
import {loadInventory} from '../../src/inventory/load.js'
import type {Inventory} from '../../src/inventory/model.js'
import {selectHosts} from '../../src/patterns/select.js'

let shipped: Inventory
beforeAll(async () => {
  shipped = await loadInventory(path.resolve('inventory'))
})

function usageError(pattern: string, limit?: string): UsageError {
  try {
    selectHosts(shipped, pattern, limit === undefined ? {} : {limit})
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError)
    return error as UsageError
  }
  throw new Error(`'${pattern}' selected hosts`)
}

describe('selectHosts on the shipped inventory', () => {
  it('selects groups, hosts, unions, intersections and exclusions', () => {
    expect(selectHosts(shipped, 'consul_server').hosts).toEqual(['erenford', 'fenn', 'gardener'])
    expect(selectHosts(shipped, 'k8s_worker:&consul_server:!fenn').hosts).toEqual(['erenford', 'gardener'])
    expect(selectHosts(shipped, 'seaweedfs:!seaweedfs_master').hosts).toEqual(['payne'])
    expect(selectHosts(shipped, 'velaryon,bettley').hosts).toEqual(['velaryon', 'bettley'])
    expect(selectHosts(shipped, 'all').hosts).toHaveLength(17)
  })

  it('warns about parts that matched nothing, naming the closest group or host', () => {
    expect(selectHosts(shipped, 'consul_servr,vault')).toEqual({
      hosts: ['erenford', 'fenn', 'gardener'],
      warnings: ["pattern 'consul_servr' matched no hosts (did you mean group 'consul_server'?)"],
    })
    expect(selectHosts(shipped, 'vault:bettly').warnings).toEqual([
      "pattern 'bettly' matched no hosts (did you mean host 'bettley'?)",
    ])
    expect(selectHosts(shipped, 'vault:zzzzzz').warnings).toEqual(["pattern 'zzzzzz' matched no hosts"])
  })

  it('is a usage error (exit 2) when nothing is selected, never an implicit all', () => {
    const error = usageError('consul_servr')
    expect(error.exitCode).toBe(2)
    expect(error.message).toBe("pattern 'consul_servr' matched no hosts (did you mean group 'consul_server'?)")
    expect(usageError('vault:&k8s_control_plane').message).toBe(
      "host pattern 'vault:&k8s_control_plane' selects no hosts",
    )
    expect(usageError('').message).toBe('empty host pattern')
    expect(usageError(' , ').message).toBe('empty host pattern')
    expect(usageError('[').message).toBe('empty host pattern')
    expect(usageError('all', 'no_such').message).toBe("pattern 'no_such' matched no hosts; the closest group is 'all'")
  })

  it('reports subscripts past the end and bad regular expressions', () => {
    expect(usageError('vault[3]').message).toBe("no hosts matched the subscripted pattern 'vault[3]'")
    expect(usageError('vault[3]').hint).toBe("'vault' has 3 hosts; subscripts count from 0")
    expect(usageError('~(').message).toMatch(/^invalid host pattern '~\(': /)
    expect(usageError('!').message).toBe("host pattern '!' has nothing after '!'")
  })

  it('narrows with --limit, including @FILE retry files', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gt-limit-'))
    const retry = path.join(dir, 'failed.retry')
    writeFileSync(retry, 'gardener\nerenford\n')
    expect(selectHosts(shipped, 'consul_server', {limit: `@${retry}`}).hosts).toEqual(['erenford', 'gardener'])
    expect(selectHosts(shipped, 'consul', {limit: 'consul_server[0],velaryon'}).hosts).toEqual(['erenford', 'velaryon'])
    expect(usageError('all', `@${path.join(dir, 'missing')}`).message).toBe(
      `limit file not found: ${path.join(dir, 'missing')}`,
    )
  })

  it('warns about the removed [x-y] subscript form, as Ansible does', () => {
    expect(selectHosts(shipped, 'vault[0-1]')).toEqual({
      hosts: ['erenford', 'fenn'],
      warnings: ["pattern 'vault[0-1]': use [x:y] inclusive subscripts instead of [x-y] (removed in Ansible)"],
    })
  })
})
