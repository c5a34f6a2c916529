import {describe, expect, it} from 'vitest'

import type {Serial} from '../../src/engine/role-run.js'

import {applyBatches} from '../../src/engine/apply-batches.js'

const hosts = (count: number) => Array.from({length: count}, (_, index) => `h${index + 1}`)

describe('applyBatches', () => {
  const cases: Array<[string, string[], string[], Serial | undefined, string[][]]> = [
    ['no --serial: one batch of every target', hosts(3), [], undefined, [['h1', 'h2', 'h3']]],
    ['--serial 1: one host per batch', hosts(3), [], {hosts: 1}, [['h1'], ['h2'], ['h3']]],
    ['--serial 2: the last batch takes what is left', hosts(5), [], {hosts: 2}, [['h1', 'h2'], ['h3', 'h4'], ['h5']]],
    ['--serial larger than the targets: one batch', hosts(2), [], {hosts: 5}, [['h1', 'h2']]],
    [
      '--serial 50%: half of the hosts, rounded down',
      hosts(5),
      [],
      {percent: 50},
      [['h1', 'h2'], ['h3', 'h4'], ['h5']],
    ],
    ['--serial 10% of 3 hosts: at least one', hosts(3), [], {percent: 10}, [['h1'], ['h2'], ['h3']]],
    ['--serial 100%: one batch', hosts(3), [], {percent: 100}, [['h1', 'h2', 'h3']]],
    ['applyFirst: a wave of its own, first', hosts(3), ['h3'], undefined, [['h3'], ['h1', 'h2']]],
    [
      'applyFirst keeps target order within its wave',
      hosts(4),
      ['h4', 'h2'],
      undefined,
      [
        ['h2', 'h4'],
        ['h1', 'h3'],
      ],
    ],
    ['applyFirst and --serial: each wave cut in batches', hosts(4), ['h4'], {hosts: 2}, [['h4'], ['h1', 'h2'], ['h3']]],
    [
      'applyFirst --serial %: of each wave',
      hosts(5),
      ['h1', 'h2'],
      {percent: 50},
      [['h1'], ['h2'], ['h3'], ['h4'], ['h5']],
    ],
    ['applyFirst hosts outside the targets: ignored', hosts(2), ['h9'], undefined, [['h1', 'h2']]],
    ['every target applied first: one wave', hosts(2), ['h1', 'h2'], {hosts: 1}, [['h1'], ['h2']]],
  ]
  it.each(cases)('%s', (_, targets, first, serial, expected) => {
    expect(applyBatches(targets, new Set(first), serial)).toEqual(expected)
  })
})
