import path from 'node:path'

import {beforeAll, describe, expect, it} from 'vitest'

import {loadInventory} from '../../src/inventory/load.js'
import type {Inventory} from '../../src/inventory/model.js'
import {evaluateForHost, hostScope} from '../../src/inventory/host-scope.js'
import {TemplateError, pyRepr, renderTemplate} from '../../src/template/index.js'
import {ansibleBinary} from '../support/ansible.js'
import {askTemplar, type TemplarResult} from '../support/templar.js'
import {RENDER_CASES, VALUE_CASES} from './oracle-cases.js'

const binary = ansibleBinary()
const runs = Boolean(binary) || Boolean(process.env.CI)
if (!runs) console.warn('skipping the template oracle test: `ansible` is not installed (apt-get install ansible)')

const INVENTORY = path.resolve('test/fixtures/template/hosts.yaml')
const HOST = 'alpha'

/** goldentooth's answer in the oracle's terms. */
function answer(run: () => unknown): TemplarResult {
  try {
    return {repr: pyRepr(run())}
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error
    return {error: error.message, undefined: error.kind === 'undefined'}
  }
}

/** The same value (by Python's repr), or both an error of the same kind (undefined or not). */
function agree(ours: TemplarResult, ansible: TemplarResult): boolean {
  if ('repr' in ansible) return 'repr' in ours && ours.repr === ansible.repr
  return 'error' in ours && ours.undefined === ansible.undefined
}

describe.runIf(runs)(
  `templates evaluated as Ansible 2.14 does (${VALUE_CASES.length + RENDER_CASES.length} cases)`,
  () => {
    let inventory: Inventory
    let ansible: {templates: TemplarResult[]; render: TemplarResult[]}

    beforeAll(async () => {
      inventory = await loadInventory(INVENTORY)
      ansible = askTemplar(binary ?? 'ansible', {
        host: HOST,
        inventory: INVENTORY,
        render: RENDER_CASES,
        templates: VALUE_CASES,
      })
    })

    it.each(VALUE_CASES.map((template, index) => [template, index] as const))('value %j', (template, index) => {
      const ours = answer(() => {
        const result = evaluateForHost(inventory, HOST, template)
        if (!result.ok) throw result.error
        return result.value
      })
      const theirs = ansible.templates[index]!
      if (!agree(ours, theirs)) expect(ours).toEqual(theirs)
    })

    it.each(RENDER_CASES.map((template, index) => [template, index] as const))('file %j', (template, index) => {
      const ours = answer(() => renderTemplate(template, hostScope(inventory, HOST), {name: 'oracle.j2'}))
      const theirs = ansible.render[index]!
      if (!agree(ours, theirs)) expect(ours).toEqual(theirs)
    })
  },
)
