import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {loadInventory} from '../../src/inventory/load.js'
import {parseYaml} from '../../src/inventory/yaml.js'
import {ansibleBinary, ansiblePython, askAnsible} from '../support/ansible.js'
import {writeGeneratedInventory} from '../support/generated-inventory.js'

const binary = ansibleBinary()
const runs = Boolean(binary) || Boolean(process.env.CI)
const fixtures = path.resolve('test/fixtures/inventory')

function requireAnsible(): string {
  if (!binary) throw new Error('ansible is not installed: CI must install it (apt-get install ansible)')
  return binary
}

const generated = mkdtempSync(path.join(tmpdir(), 'gt-generated-'))
await writeGeneratedInventory(generated, 200)
afterAll(() => rmSync(generated, {force: true, recursive: true}))

const INVENTORIES: [name: string, source: string, password?: string][] = [
  ['nested', path.join(fixtures, 'nested')],
  ['multi', path.join(fixtures, 'multi')],
  ['vaulted', path.join(fixtures, 'vaulted'), path.join(fixtures, 'vaulted.password')],
  [
    'goldentooth-ansible',
    path.join(fixtures, 'goldentooth-ansible/inventory'),
    path.join(fixtures, 'goldentooth-ansible/vault-password'),
  ],
  ['shipped', path.resolve('inventory/hosts.yaml')],
  ...['edge-sites', 'observability', 'original-style', 'webshop'].map((name): [string, string] => [
    `templating/${name}`,
    path.resolve('test/fixtures/templating', name),
  ]),
  ['generated (200 hosts of what large-inventory.test.ts loads 10,000 of)', generated],
]

/** The `groups` magic variable lists deep groups in an order Ansible itself varies; compare its members. */
function withSortedGroups(vars: Record<string, unknown>): Record<string, unknown> {
  const groups = vars.groups as Record<string, string[]>
  return {...vars, groups: Object.fromEntries(Object.entries(groups).map(([g, hosts]) => [g, [...hosts].sort()]))}
}

describe.runIf(runs)("host variables equal Ansible's VariableManager.get_vars()", () => {
  for (const [name, source, password] of INVENTORIES) {
    it(name, async () => {
      const answer = askAnsible(requireAnsible(), {
        host_vars: true,
        inventory: source,
        ...(password ? {vault_password_file: password} : {}),
      })
      const inventory = await loadInventory(source, {vaultPasswordFile: password})
      expect([...inventory.hosts.keys()].sort()).toEqual(Object.keys(answer.vars).sort())
      for (const [host, theirs] of Object.entries(answer.vars)) {
        const mine = inventory.rawHostVars(host)
        expect(Object.keys(mine), `${name}: ${host}: variable order`).toEqual(Object.keys(theirs))
        expect(withSortedGroups(mine), `${name}: ${host}`).toEqual(withSortedGroups(theirs))
      }
    })
  }
})

describe.runIf(runs)("YAML scalars resolve as Ansible's PyYAML loader resolves them", () => {
  const samples = [
    'y',
    'n',
    'yes',
    'No',
    'on',
    'OFF',
    'true',
    'False',
    '~',
    'null',
    'Null',
    '',
    '08',
    '010',
    '0o10',
    '0x1F',
    '+0x10',
    '0b101',
    '1_000',
    '0_7',
    '-0',
    '+12',
    '12:30',
    '01:30',
    '0:30',
    '1:2:3',
    '1e5',
    '1.0e5',
    '1.0e+5',
    '1.5E-3',
    '.5',
    '-.5',
    '+.5',
    '.',
    '0.1',
    '1.',
    '09.5',
    '1__0',
    '_1',
    '190:20:30.15',
    '.inf',
    '-.Inf',
    '+.INF',
    'NO',
    'nO',
    "'yes'",
    '"08"',
    'ff',
    '0xff',
    '1_',
    '3.14_15',
    '-1_0.5',
  ]

  it('for every sample', () => {
    const python = ansiblePython(requireAnsible())
    const script = [
      'import json, math, sys',
      'from ansible.parsing.yaml.loader import AnsibleLoader',
      'out = []',
      'for s in json.load(sys.stdin):',
      '    v = AnsibleLoader("k: " + s).get_single_data()["k"]',
      '    out.append(["float", repr(v)] if isinstance(v, float) and not math.isfinite(v) else [type(v).__name__, v])',
      'print(json.dumps(out))',
    ].join('\n')
    const theirs = JSON.parse(
      execFileSync(python, ['-c', script], {encoding: 'utf8', input: JSON.stringify(samples)}),
    ) as [string, unknown][]
    samples.forEach((sample, i) => {
      const [type, expected] = theirs[i]!
      const value = parseYaml(`k: ${sample}`, 'sample.yaml').yaml.doc.toJS().k as unknown
      const mine = typeof value === 'number' && !Number.isFinite(value) ? String(value) : value
      const want =
        type === 'float' && typeof expected === 'string'
          ? {inf: 'Infinity', '-inf': '-Infinity', nan: 'NaN'}[expected]
          : type === 'AnsibleUnicode'
            ? String(expected)
            : expected
      expect(mine, `k: ${sample}`).toEqual(want)
    })
  })
})
