import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {loadInventory} from '../../src/inventory/load.js'
import type {Inventory} from '../../src/inventory/model.js'
import {evaluateForHost, hostScope} from '../../src/inventory/host-scope.js'
import {TemplateError, Undefined, templateValue} from '../../src/template/index.js'

const FIXTURE = path.resolve('test/fixtures/template/hosts.yaml')

function failure(work: () => unknown): TemplateError {
  try {
    work()
  } catch (error) {
    if (error instanceof TemplateError) return error
    throw error
  }
  throw new Error('expected a TemplateError')
}

describe('hostScope: one host variables as Ansible templates them', () => {
  let inventory: Inventory

  beforeAll(async () => {
    inventory = await loadInventory(FIXTURE)
  })

  it('templates each variable when read, recursively, with the magic variables', () => {
    const alpha = hostScope(inventory, 'alpha')
    expect(alpha.value('fqdn')).toBe('alpha.goldentooth.net')
    expect(alpha.value('inventory_hostname_short')).toBe('alpha')
    expect(alpha.value('group_names')).toEqual(['servers'])
    expect(alpha.value('groups')).toMatchObject({all: ['alpha', 'beta', 'gamma'], servers: ['alpha', 'beta']})
    expect(alpha.value('templated_dict')).toEqual({name: 'goldentooth', port: 8080})
    expect(alpha.value('omit')).toMatch(/^__omit_place_holder__[0-9a-f]{40}$/)
    expect(alpha.names()).toEqual(expect.arrayContaining(['fqdn', 'inventory_hostname', 'groups', 'omit']))
    expect(alpha.names()).not.toContain('hostvars')
    expect(templateValue("{{ vars['fqdn'] }}", alpha)).toBe('{{ inventory_hostname }}.{{ domain }}')
  })

  it('keeps a number a number only where Ansible does: a template of just {{ name }}', () => {
    const alpha = hostScope(inventory, 'alpha')
    expect(alpha.value('port')).toBe(8080)
    expect(alpha.value('port_text')).toBe(8080)
    expect(templateValue('{{ port_text }}', alpha)).toBe('8080')
    expect(alpha.value('port_plus')).toBe('8081')
  })

  it('reads other hosts through hostvars, each templated for its own host', () => {
    const alpha = hostScope(inventory, 'alpha')
    expect(alpha.value('leader_address')).toBe('10.0.0.1')
    expect(alpha.value('all_addresses')).toEqual(['10.0.0.1', '10.0.0.2'])
    expect(templateValue('{{ hostvars.beta.own_fqdn }}', alpha)).toBe('beta.goldentooth.net')
    expect(templateValue('{{ hostvars | list }}', alpha)).toEqual(['alpha', 'beta', 'gamma'])
    expect(templateValue("{{ hostvars['nope'] | default('none') }}", alpha)).toBe('none')
  })

  it('leaves a hostvars value whose template uses something undefined as written (HostVarsVars)', () => {
    const alpha = hostScope(inventory, 'alpha')
    expect(templateValue('{{ hostvars.gamma.broken_ref }}', alpha)).toBe("{{ hostvars['alpha'].broken }}")
    expect(templateValue('{{ hostvars.gamma.via_hostvars }}', alpha)).toBe("{{ hostvars['alpha'].address }}")
    expect(hostScope(inventory, 'gamma').value('via_hostvars')).toBe('10.0.0.1')
  })

  it('gives templates an Undefined for a variable whose template uses something undefined (lazy)', () => {
    const alpha = hostScope(inventory, 'alpha')
    const broken = alpha.lookup('broken')
    expect(broken).toBeInstanceOf(Undefined)
    expect((broken as Undefined).hint).toBe("{{ missing_variable }}: 'missing_variable' is undefined")
    expect(templateValue("{{ broken | default('fallback') }}", alpha)).toBe('fallback')
    expect(templateValue('{{ broken is defined }}', alpha)).toBe(false)
  })

  it('throws for TypeScript callers the error naming the variable, the host and where it is defined', () => {
    const alpha = hostScope(inventory, 'alpha')
    const error = failure(() => alpha.value('uses_broken'))
    expect(error.kind).toBe('undefined')
    expect(error.variables).toEqual(['uses_broken', 'broken'])
    expect(error.host).toBe('alpha')
    expect(error.location).toEqual({col: 5, file: FIXTURE, line: inventory.varLocation('alpha', 'broken')?.line})
    expect(error.message).toBe(
      `${FIXTURE}:${error.location?.line}:5: host alpha, variable 'uses_broken' → 'broken': 'missing_variable' is undefined (at 1:4 of "{{ missing_variable }}")`,
    )
    expect(failure(() => alpha.value('no_such_variable')).message).toBe(
      "host alpha, variable 'no_such_variable': 'no_such_variable' is undefined",
    )
  })

  it('names the chain of a variable that refers back to itself', () => {
    const alpha = hostScope(inventory, 'alpha')
    expect(failure(() => alpha.value('self_loop')).problem).toBe(
      'recursive loop detected in template string: self_loop → self_loop',
    )
    const error = failure(() => alpha.value('loop_a'))
    expect(error.problem).toBe('recursive loop detected in template string: loop_a → loop_b → loop_a')
    expect(error.kind).toBe('error')
    expect(failure(() => templateValue("{{ loop_a | default('x') }}", alpha)).kind).toBe('error')
  })

  it('caches: the same value object each time, and the same scope for the same inventory', () => {
    const alpha = hostScope(inventory, 'alpha')
    expect(alpha.value('templated_list')).toBe(alpha.value('templated_list'))
    expect(hostScope(inventory, 'alpha')).toBe(alpha)
  })

  it('adds facts, not templated, over the inventory variables, and under ansible_facts', () => {
    const facts = (host: string): Record<string, unknown> => ({
      ansible_default_ipv4: {address: `192.168.1.${host.length}`},
      ansible_memtotal_mb: 3906,
      ansible_note: '{{ not templated }}',
      cluster_name: 'from facts',
    })
    const alpha = hostScope(inventory, 'alpha', {facts})
    expect(templateValue('{{ ansible_default_ipv4.address }}', alpha)).toBe('192.168.1.5')
    expect(templateValue('{{ ansible_facts.memtotal_mb }}', alpha)).toBe('3906')
    expect(templateValue('{{ ansible_memtotal_mb }}', alpha)).toBe(3906)
    expect(alpha.value('ansible_note')).toBe('{{ not templated }}')
    expect(alpha.value('domain')).toBe('from facts.net')
    expect(templateValue('{{ hostvars.beta.ansible_default_ipv4.address }}', alpha)).toBe('192.168.1.4')
  })

  it('evaluateForHost: what `ansible HOST -m debug -a msg=TEMPLATE` prints', () => {
    expect(evaluateForHost(inventory, 'beta', '{{ own_fqdn }}')).toEqual({ok: true, value: 'beta.goldentooth.net'})
    const result = evaluateForHost(inventory, 'beta', '{{ nope }}')
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.message).toBe(`host beta: 'nope' is undefined (at 1:4 of "{{ nope }}")`)
  })
})

describe('hostScope on a large inventory', () => {
  const HOSTS = 17
  const VARIABLES = 1300
  const dir = mkdtempSync(path.join(tmpdir(), 'gt-template-scale-'))
  afterAll(() => rmSync(dir, {force: true, recursive: true}))

  it(`templates every variable of ${HOSTS} hosts × ${VARIABLES} variables once each`, async () => {
    const lines = ['base: node']
    for (let i = 0; i < VARIABLES; i++) {
      const kind = i % 5
      if (kind === 0) lines.push(`v${i}: plain value ${i}`)
      else if (kind === 1) lines.push(`v${i}: "{{ v${i - 1} }}-{{ inventory_hostname }}"`)
      else if (kind === 2) lines.push(`v${i}: "{{ [v${i - 1}, v${i - 2}] | map('upper') | join(',') }}"`)
      else if (kind === 3) lines.push(`v${i}: "{{ hostvars[groups['all'] | first].v${i - 3} }}"`)
      else lines.push(`v${i}: {list: ["{{ v${i - 1} }}", "{{ base }}"], n: "{{ ${i} * 2 }}"}`)
    }
    writeFileSync(
      path.join(dir, 'hosts.yaml'),
      `all:\n  hosts:\n${Array.from({length: HOSTS}, (_, i) => `    h${i}:\n`).join('')}`,
    )
    const groupVars = path.join(dir, 'group_vars')
    mkdirSync(groupVars)
    writeFileSync(path.join(groupVars, 'all.yaml'), `${lines.join('\n')}\n`)
    const inventory = await loadInventory(path.join(dir, 'hosts.yaml'))
    for (let host = 0; host < HOSTS; host++) {
      const scope = hostScope(inventory, `h${host}`)
      for (const name of scope.names()) scope.value(name)
    }
    const h3 = hostScope(inventory, 'h3')
    expect(h3.value('v2')).toBe('PLAIN VALUE 0-H3,PLAIN VALUE 0')
    expect(h3.value('v4')).toEqual({list: ['plain value 0', 'node'], n: '8'})
  })
})
