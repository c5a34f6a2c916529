import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {describe, expect, it} from 'vitest'

import {InvalidInputError} from '../../src/core/errors.js'
import {loadInventory} from '../../src/inventory/load.js'
import {runCli} from '../support/cli.js'

// vitest sets NODE_ENV=test, which an operator's shell does not: oclif would then warn about TypeScript sources.
const OPERATOR_ENV = {NODE_ENV: ''}

function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gt-bounded-'))
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), {recursive: true})
    writeFileSync(path.join(dir, name), content)
  }
  return dir
}

async function failure(promise: Promise<unknown>): Promise<InvalidInputError> {
  return promise.then(
    () => {
      throw new Error('expected the inventory to be refused')
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(InvalidInputError)
      return error as InvalidInputError
    },
  )
}

/** Billion laughs: nine levels of nine aliases each, 387 million strings once expanded. */
function aliasBomb(indent: string): string[] {
  const levels = [...'abcdefghi']
  return levels.map((name, i) => {
    const items = Array<string>(9).fill(i === 0 ? '"x"' : `*${levels[i - 1]}`)
    return `${indent}${name}: &${name} [${items.join(',')}]`
  })
}

describe('YAML aliases are resolved within bounds', () => {
  it('refuses an alias bomb before expanding it: one problem naming the file, line and column (exit 3)', async () => {
    const dir = scratch({
      'hosts.yaml': ['all:', '  vars:', ...aliasBomb('    '), '  hosts:', '    web1:', ''].join('\n'),
    })
    const file = path.join(dir, 'hosts.yaml')
    const message =
      `${file}:11:12: YAML: aliases expand this file to more than 1,000,000 values ` +
      '(*h alone stands for 48,427,561)'
    const error = await failure(loadInventory(dir))
    expect(error.message).toBe(message)
    expect(error.hint).toMatch(/write the repeated values out, or alias smaller ones/)

    const cli = await runCli(['-i', file, 'inventory', 'hosts', 'all'], {env: OPERATOR_ENV})
    expect(cli.exitCode).toBe(3)
    expect(cli.stdout).toBe('')
    expect(cli.stderr.split('\n')[0]).toBe(`goldentooth: ${message}`)
  })

  it('refuses a bomb in a group_vars file the same way', async () => {
    const dir = scratch({
      'group_vars/all.yml': `${aliasBomb('').join('\n')}\n`,
      'hosts.yaml': 'all:\n  hosts:\n    web1:\n',
    })
    const error = await failure(loadInventory(dir))
    expect(error.message).toMatch(new RegExp(`^${dir}/group_vars/all.yml:9:8: YAML: aliases expand this file`))
  })

  it('refuses a recursive alias instead of recursing until the stack runs out', async () => {
    const dir = scratch({'hosts.yaml': 'all:\n  vars:\n    loop: &loop [1, *loop]\n  hosts:\n    web1:\n'})
    const error = await failure(loadInventory(dir))
    expect(error.message).toBe(
      `${dir}/hosts.yaml:3:21: YAML: alias *loop is inside the value it refers to (a recursive alias)`,
    )
  })

  it('still expands ordinary aliases and merge keys, however many hosts use them', async () => {
    const hosts = Array.from({length: 3000}, (_, i) => `    h${i}:\n      <<: *defaults\n      index: ${i}\n`)
    const text = `all:\n  vars:\n    defaults: &defaults {ansible_user: ops, tags: [a, b, c], nested: {x: 1}}\n  hosts:\n${hosts.join('')}`
    const inventory = await loadInventory(scratch({'hosts.yaml': text}))
    expect(inventory.hostVars('h2999')).toMatchObject({ansible_user: 'ops', index: 2999, nested: {x: 1}})
    expect(inventory.hostVars('h0').tags).toEqual(['a', 'b', 'c'])
  })
})

describe('an empty inventory says so', () => {
  it('an empty file: exit 3, naming the file and what to write', async () => {
    const dir = scratch({'hosts.yaml': ''})
    const file = path.join(dir, 'hosts.yaml')
    const cli = await runCli(['-i', file, 'inventory', 'hosts', 'all'], {env: OPERATOR_ENV})
    expect(cli.exitCode).toBe(3)
    expect(cli.stderr).toBe(
      `goldentooth: ${file}: the inventory file is empty (no groups or hosts)\n` +
        '  hint: add groups and hosts (all: → hosts: → NAME:), or give -i the inventory you meant\n',
    )
  })

  it('a directory whose inventory files hold only comments', async () => {
    const dir = scratch({'a.yaml': '# nothing yet\n', 'b.yml': '---\n', 'group_vars/all.yml': 'x: 1\n'})
    const error = await failure(loadInventory(dir))
    expect(error.message).toBe(`${dir}: every inventory file in it is empty (a.yaml, b.yml)`)
  })

  it('a directory without inventory files keeps its own message', async () => {
    const dir = scratch({'group_vars/all.yml': 'x: 1\n'})
    const error = await failure(loadInventory(dir))
    expect(error.message).toBe(`${dir}: no inventory file found (expected a YAML inventory such as hosts.yaml)`)
  })
})
