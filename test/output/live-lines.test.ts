import {describe, expect, it} from 'vitest'

import {liveLines} from '../../src/output/live-lines.js'

describe('liveLines', () => {
  it('prefixes whole lines with their host and holds partial lines and split UTF-8 until complete', () => {
    const out: string[] = []
    const live = liveLines((text) => out.push(text))
    const euro = Buffer.from('€')
    live.listener('a', 'stdout', Buffer.from('one\ntw'))
    live.listener('b', 'stderr', Buffer.from('oops\n'))
    live.listener('a', 'stdout', Buffer.concat([Buffer.from('o '), euro.subarray(0, 1)]))
    live.listener('a', 'stdout', Buffer.concat([euro.subarray(1), Buffer.from('\nlast')]))
    live.flush()
    expect(out).toEqual(['a | one\n', 'b ! oops\n', 'a | two €\n', 'a | last\n'])
  })
})
