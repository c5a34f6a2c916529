import path from 'node:path'

import {describe, expect, it} from 'vitest'

import {InvalidInputError} from '../../src/core/errors.js'
import {loadInventory} from '../../src/inventory/load.js'
import {InventoryError} from '../../src/inventory/problems.js'

const bad = path.relative(process.cwd(), path.resolve('test/fixtures/inventory/bad'))

async function problems(fixture: string): Promise<InvalidInputError> {
  try {
    await loadInventory(path.join(bad, fixture), {vaultPasswordFile: undefined})
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError)
    expect((error as InvalidInputError).exitCode).toBe(3)
    return error as InvalidInputError
  }
  throw new Error(`${fixture} loaded without problems`)
}

describe('inventory validation: every problem, with its file:line:col (exit 3)', () => {
  it('YAML syntax errors', async () => {
    const error = await problems('syntax')
    expect(error.message).toBe(`${bad}/syntax/hosts.yaml:6:8: YAML: All mapping items must start at the same column`)
    expect(error.location).toEqual({col: 8, file: `${bad}/syntax/hosts.yaml`, line: 6})
  })

  it('unknown keys in groups, with the key they probably meant', async () => {
    const error = await problems('typos')
    expect(error.message).toBe(
      [
        'the inventory has 4 problems:',
        `  ${bad}/typos/hosts.yaml:4:7: unknown key 'chilren' in group 'slurm' (did you mean 'children'?)`,
        `  ${bad}/typos/hosts.yaml:9:7: unknown key 'host' in group 'consul' (did you mean 'hosts'?)`,
        `  ${bad}/typos/hosts.yaml:11:7: unknown key 'var' in group 'consul' (did you mean 'vars'?)`,
        `  ${bad}/typos/hosts.yaml:14:7: unknown key 'ansible_user' in group 'nomad'`,
        '    hint: a group holds only hosts:, children: and vars: (variables go under vars:)',
      ].join('\n'),
    )
    expect((error as InventoryError).problems).toHaveLength(4)
  })

  it('a group that is its own ancestor, naming the chain', async () => {
    const error = await problems('cycle')
    expect(error.message).toBe(
      [
        'the inventory has 2 problems:',
        `  ${bad}/cycle/hosts.yaml:5:9: group 'b' is its own ancestor: b → c → a → b`,
        `  ${bad}/cycle/hosts.yaml:12:9: group 'd' is its own ancestor: d → d`,
      ].join('\n'),
    )
  })

  it('hosts without a usable address', async () => {
    const error = await problems('addresses')
    expect(error.message).toBe(
      [
        'the inventory has 4 problems:',
        `  ${bad}/addresses/hosts.yaml:4:7: ansible_host '10.4.0.300' of host 'bettley' is not an IPv4/IPv6 address or DNS name`,
        `  ${bad}/addresses/hosts.yaml:5:5: host name 'my host' cannot be used as an address (not an IPv4/IPv6 address or DNS name)`,
        '    hint: set ansible_host to its address, or rename the host',
        `  ${bad}/addresses/host_vars/fenn.yaml:1:1: ansible_host 'not a host' of host 'fenn' is not an IPv4/IPv6 address or DNS name`,
        `  ${bad}/addresses/hosts.yaml:9:5: host name '-bad-' cannot be used as an address (not an IPv4/IPv6 address or DNS name)`,
        '    hint: set ansible_host to its address, or rename the host',
      ].join('\n'),
    )
  })

  it('variables of the wrong type where the tool relies on them (templates are left alone)', async () => {
    const error = await problems('types')
    expect(error.message).toBe(
      [
        'the inventory has 8 problems:',
        `  ${bad}/types/hosts.yaml:8:9: ansible_group_priority must be an integer, not the string 'high'`,
        `  ${bad}/types/hosts.yaml:3:5: ansible_user must be a string, not 42`,
        `  ${bad}/types/hosts.yaml:7:9: goldentooth_lab must be a boolean (true or false), not the string 'yes'`,
        `  ${bad}/types/host_vars/node1.yaml:1:1: ansible_ssh_private_key_file must be a string, not a list`,
        `  ${bad}/types/host_vars/node1.yaml:3:1: goldentooth_ssh_socket must be a string, not 7`,
        `  ${bad}/types/hosts.yaml:12:11: ansible_port must be an integer from 1 to 65535, not 70000`,
        `  ${bad}/types/hosts.yaml:13:11: ansible_become must be a boolean (true or false), not the string 'maybe'`,
        `  ${bad}/types/hosts.yaml:16:11: ansible_port must be an integer from 1 to 65535, not the string '22'`,
      ].join('\n'),
    )
  })

  it('mappings and lists in the wrong place, with what to write instead', async () => {
    const error = await problems('shapes')
    expect(error.message).toBe(
      [
        'the inventory has 5 problems:',
        `  ${bad}/shapes/hosts.yaml:5:9: 'hosts' of group 'web' must be a mapping, not a list`,
        "    hint: write hosts as a mapping, one 'HOST:' per line (variables indented under it)",
        `  ${bad}/shapes/hosts.yaml:9:14: host 'db1' in group 'db' must be empty or a mapping of variables, not the string '10.0.0.5'`,
        '    hint: to give its address write:  db1: {ansible_host: 10.0.0.5}',
        `  ${bad}/shapes/hosts.yaml:11:9: 'vars' of group 'db' must be a mapping, not a list`,
        "    hint: write vars as a mapping of 'NAME: VALUE' lines",
        `  ${bad}/shapes/hosts.yaml:14:9: 'children' of group 'cache' must be a mapping, not a list`,
        "    hint: write children as a mapping, one 'GROUP:' per line",
        `  ${bad}/shapes/hosts.yaml:15:12: group 'queue' must be a mapping with hosts:, children: or vars:, not a list`,
        "    hint: put its hosts under 'queue:' → 'hosts:', one 'HOST:' per line",
      ].join('\n'),
    )
  })

  it('an INI inventory, with how to convert it', async () => {
    for (const source of ['ini', 'ini/hosts.ini']) {
      const error = await problems(source)
      const file = source === 'ini' ? 'ini/hosts' : source
      expect(error.message).toBe(
        `${bad}/${file}: INI inventories are not supported (goldentooth reads Ansible's YAML inventory format)`,
      )
      expect(error.hint).toBe(`convert it once: ansible-inventory -i ${bad}/${file} --list -y > hosts.yaml`)
    }
  })

  it('an encrypted inventory file without a vault password', async () => {
    const saved = process.env.HOME
    process.env.HOME = path.resolve(bad)
    try {
      const error = await problems('encrypted')
      expect(error.message).toBe(
        `${bad}/encrypted/hosts.yaml: is encrypted with Ansible Vault and no vault password is available`,
      )
      expect(error.hint).toContain('--vault-password-file')
    } finally {
      process.env.HOME = saved
    }
  })

  it('a missing inventory path', async () => {
    const error = await problems('no-such-inventory')
    expect(error.message).toBe(
      `inventory not found: ${bad}/no-such-inventory (give -i PATH or set GOLDENTOOTH_INVENTORY)`,
    )
  })
})
