import path from 'node:path'
import {isDeepStrictEqual} from 'node:util'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {loadInventory} from '../../src/inventory/load.js'
import {evaluateForHost} from '../../src/inventory/host-scope.js'
import {edgeSites} from '../fixtures/templating/expressions/edge-sites.js'
import {observability} from '../fixtures/templating/expressions/observability.js'
import {originalStyle} from '../fixtures/templating/expressions/original-style.js'
import {webshop} from '../fixtures/templating/expressions/webshop.js'
import {ansibleBinary} from '../support/ansible.js'
import {renderWithAnsible, type Expressions, type Rendered, type Renderings} from '../support/ansible-templating.js'

const binary = ansibleBinary()
const runs = Boolean(binary) || Boolean(process.env.CI)
if (!runs)
  console.warn('skipping the templating differential test: `ansible` is not installed (apt-get install ansible)')

const fixtures = path.resolve('test/fixtures/templating')

/** Inventories under test/fixtures/templating/, with the templates rendered on each of their hosts. */
const INVENTORIES: Record<string, Expressions> = {
  'edge-sites': edgeSites,
  observability,
  'original-style': originalStyle,
  webshop,
}

type Outcome = ReturnType<typeof evaluateForHost>

const templatesOf = (expressions: Expressions): string[] => [
  ...expressions.values,
  ...expressions.failures.map(([template]) => template),
]

/** Ansible nests a failure once per variable it was rendering; the innermost message is the one that says why. */
function shortError(message: string): string {
  const inner = message.split('original message: ').at(-1)!
  return inner.length > 300 ? `${inner.slice(0, 300)}…` : inner
}

const show = (rendered: Rendered): string =>
  'error' in rendered ? `fails (${shortError(rendered.error)})` : JSON.stringify(rendered.value)

/**
 * Why goldentooth's answer differs from Ansible's; none when both render equal values, or both fail and goldentooth
 * names the culprit.
 */
function difference(theirs: Rendered, mine: Outcome, culprit: string | undefined): string | undefined {
  if (!mine.ok) {
    if (!('error' in theirs)) return `Ansible ${show(theirs)}, goldentooth fails (${mine.error.message})`
    if (culprit !== undefined && !mine.error.message.includes(culprit)) {
      return `goldentooth's error does not name ${culprit}: ${mine.error.message}`
    }
    return undefined
  }
  const value: unknown = mine.value === undefined ? undefined : JSON.parse(JSON.stringify(mine.value))
  if ('error' in theirs || !isDeepStrictEqual(value, theirs.value)) {
    return `Ansible ${show(theirs)}, goldentooth ${JSON.stringify(mine.value)}`
  }
  return undefined
}

const totals = {ansibleFails: 0, bothFail: 0, equal: 0, expressions: 0, pairs: 0}
afterAll(() => {
  if (!runs) return
  console.log(
    `templating differential: ${totals.expressions} expressions over ${Object.keys(INVENTORIES).length} ` +
      `inventories, ${totals.pairs} host×expression pairs (${totals.ansibleFails} of them failing in Ansible): ` +
      `${totals.equal} equal to Ansible in goldentooth, ${totals.bothFail} failing in both with goldentooth naming ` +
      `the culprit`,
  )
})

describe.runIf(runs)('templates render as Ansible renders them (debug msg= through ansible-playbook)', () => {
  const answers = new Map<string, Renderings>()

  beforeAll(async () => {
    if (!binary) throw new Error('ansible is not installed: CI must install it (apt-get install ansible)')
    const rendered = await Promise.all(
      Object.entries(INVENTORIES).map(async ([name, expressions]) => {
        const renderings = await renderWithAnsible(binary, path.join(fixtures, name), templatesOf(expressions))
        return [name, renderings] as const
      }),
    )
    for (const [name, renderings] of rendered) answers.set(name, renderings)
  })

  for (const [name, expressions] of Object.entries(INVENTORIES)) {
    it(`${name}: Ansible renders every value template on every host and fails every failure template somewhere`, () => {
      const renderings = answers.get(name)!
      const problems: string[] = []
      totals.expressions += templatesOf(expressions).length
      for (const results of Object.values(renderings)) {
        totals.pairs += results.length
        totals.ansibleFails += results.filter((result) => 'error' in result).length
      }
      expressions.values.forEach((template, i) => {
        for (const [host, results] of Object.entries(renderings)) {
          const result = results[i]!
          if ('error' in result) problems.push(`${host} ${JSON.stringify(template)} ${show(result)}`)
        }
      })
      expressions.failures.forEach(([template], j) => {
        const i = expressions.values.length + j
        if (Object.values(renderings).every((results) => 'value' in results[i]!)) {
          problems.push(`${JSON.stringify(template)} renders on every host`)
        }
      })
      expect(problems).toEqual([])
    })

    it(`${name}: goldentooth renders what Ansible renders, and fails where Ansible fails`, async () => {
      const inventory = await loadInventory(path.join(fixtures, name))
      const renderings = answers.get(name)!
      expect([...inventory.hosts.keys()].sort()).toEqual(Object.keys(renderings).sort())
      const culprits = new Map(expressions.failures)
      const mismatches: string[] = []
      templatesOf(expressions).forEach((template, i) => {
        for (const [host, results] of Object.entries(renderings)) {
          const mine = evaluateForHost(inventory, host, template)
          const problem = difference(results[i]!, mine, culprits.get(template))
          if (problem) mismatches.push(`${host} ${JSON.stringify(template)}: ${problem}`)
          else if (mine.ok) totals.equal += 1
          else totals.bothFail += 1
        }
      })
      expect(mismatches).toEqual([])
    })
  }
})
