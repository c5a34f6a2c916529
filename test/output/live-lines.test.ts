import {describe, expect, it} from 'vitest'

import {rawText, visibleText} from '../../src/output/host-text.js'
import {liveLines, MAX_LIVE_LINE} from '../../src/output/live-lines.js'

describe('liveLines', () => {
  it('prefixes whole lines with their host and holds partial lines and split UTF-8 until complete', () => {
    const out: string[] = []
    const live = liveLines((text) => out.push(text), rawText)
    const euro = Buffer.from('€')
    live.listener('a', 'stdout', Buffer.from('one\ntw'))
    live.listener('b', 'stderr', Buffer.from('oops\n'))
    live.listener('a', 'stdout', Buffer.concat([Buffer.from('o '), euro.subarray(0, 1)]))
    live.listener('a', 'stdout', Buffer.concat([euro.subarray(1), Buffer.from('\nlast')]))
    live.flush()
    expect(out).toEqual(['a | one\n', 'b ! oops\n', 'a | two €\n', 'a | last\n'])
  })

  it('prints a line longer than the limit in parts, holding no more than the limit', () => {
    const out: string[] = []
    const live = liveLines((text) => out.push(text), rawText)
    const chunk = Buffer.alloc(10_000, 'x')
    const chunks = Math.ceil((MAX_LIVE_LINE * 2.5) / chunk.length)
    for (let i = 0; i < chunks; i++) live.listener('a', 'stdout', chunk)
    live.listener('a', 'stdout', Buffer.from('\n'))
    live.flush()
    const lengths = out.map((line) => line.length - 'a | \n'.length)
    expect(lengths.slice(0, -1)).toEqual([MAX_LIVE_LINE, MAX_LIVE_LINE])
    expect(lengths.reduce((sum, length) => sum + length, 0)).toBe(chunks * chunk.length)
  })

  it('shows control characters from hosts in cat -v notation when asked', () => {
    const out: string[] = []
    const live = liveLines((text) => out.push(text), visibleText)
    live.listener('a', 'stdout', Buffer.from('\u001b]0;pwned\u0007red \u001b[31mtext\r\nbell\u0007\u009b\tend\n'))
    expect(out).toEqual(['a | ^[]0;pwned^Gred ^[[31mtext\r\n', 'a | bell^GM-^[\tend\n'])
  })
})
