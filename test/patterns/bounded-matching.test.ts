import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {beforeAll, describe, expect, it} from 'vitest'

import {UsageError} from '../../src/core/errors.js'
import {loadInventory} from '../../src/inventory/load.js'
import type {Inventory} from '../../src/inventory/model.js'
import {selectHosts} from '../../src/patterns/select.js'
import {runCli} from '../support/cli.js'

// vitest sets NODE_ENV=test, which an operator's shell does not: oclif would then warn about TypeScript sources.
const OPERATOR_ENV = {NODE_ENV: ''}

/** A 36-character name that nearly matches: what makes a backtracking matcher try every way to split it. */
const NEAR_MISS = `${'a'.repeat(35)}b`
const dir = mkdtempSync(path.join(tmpdir(), 'gt-patterns-'))
const file = path.join(dir, 'hosts.yaml')
writeFileSync(file, `all:\n  hosts:\n    ${NEAR_MISS}:\n    web1:\n    web2:\n`)

let inventory: Inventory
beforeAll(async () => {
  inventory = await loadInventory(file)
})

function usageError(pattern: string): UsageError {
  try {
    selectHosts(inventory, pattern)
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError)
    return error as UsageError
  }
  throw new Error(`'${pattern}' selected hosts`)
}

describe('host patterns cannot run away', () => {
  it('a catastrophically backtracking ~regex is stopped: a usage error naming the pattern', () => {
    const error = usageError('~(a+)+$')
    expect(error.message).toBe("host pattern '~(a+)+$' was stopped: matching it took more than 2 s")
    expect(error.hint).toMatch(/nested repetition such as \(a\+\)\+/)
  })

  it('the same through the CLI: exit 2, one line and a hint', async () => {
    const cli = await runCli(['-i', file, 'inventory', 'hosts', '~(a+)+$'], {env: OPERATOR_ENV})
    expect(cli.exitCode).toBe(2)
    expect(cli.stdout).toBe('')
    expect(cli.stderr.split('\n')[0]).toBe(
      "goldentooth: host pattern '~(a+)+$' was stopped: matching it took more than 2 s",
    )
  })

  it('ordinary regexes still match groups and hosts', async () => {
    expect(selectHosts(inventory, '~web[0-9]').hosts).toEqual(['web1', 'web2'])
    expect(selectHosts(inventory, '~(?P<x>a)(?P=x)+b$').hosts).toEqual([NEAR_MISS])
    expect(selectHosts(inventory, '~ungr').hosts).toEqual([NEAR_MISS, 'web1', 'web2'])
    const cli = await runCli(['-i', file, 'inventory', 'hosts', '~w.b2$'], {env: OPERATOR_ENV})
    expect(cli).toMatchObject({exitCode: 0, stdout: 'web2\n'})
  })

  it('a glob with many stars is answered at once, as Python’s fnmatch answers it (no backtracking)', () => {
    const stars = `${'*a'.repeat(20)}*c`
    expect(usageError(stars).message).toBe(`pattern '${stars}' matched no hosts; the closest host is '${NEAR_MISS}'`)
    expect(selectHosts(inventory, `${'*a'.repeat(20)}*b`).hosts).toEqual([NEAR_MISS])
  })
})
