import {describe, expect, it} from 'vitest'

import {completeHostPattern} from '../../src/patterns/complete.js'

const NAMES = ['all', 'consul_server', 'consul_client', 'jast', 'karstark', 'consul_server']

describe('completeHostPattern', () => {
  it('completes a whole word from the names, each once', () => {
    expect(completeHostPattern('consul_', NAMES)).toEqual(['consul_server', 'consul_client'])
    expect(completeHostPattern('', NAMES)).toEqual(['all', 'consul_server', 'consul_client', 'jast', 'karstark'])
  })

  it.each([
    ['consul_server,ja', 'consul_server,jast'],
    ['consul_server:ja', 'consul_server:jast'],
    ['consul_server:!ja', 'consul_server:!jast'],
    ['consul_server:&ja', 'consul_server:&jast'],
    ['consul_server,!ja', 'consul_server,!jast'],
    ['all:!consul_server:&ka', 'all:!consul_server:&karstark'],
  ])('completes the part after the last operator: %s', (word, expected) => {
    expect(completeHostPattern(word, NAMES)).toEqual([expected])
  })

  it('offers every name right after an operator, and nothing for an unknown prefix', () => {
    expect(completeHostPattern('all:!', NAMES)).toContain('all:!jast')
    expect(completeHostPattern('zzz', NAMES)).toEqual([])
  })
})
