import {describe, expect, it} from 'vitest'

import {writeJson} from '../../src/output/json-stream.js'

const written = (value: unknown) => {
  const parts: string[] = []
  writeJson(value, (text) => parts.push(text))
  return parts
}

describe('writeJson', () => {
  it('writes what JSON.stringify(value, null, 2) writes', () => {
    const samples = [
      {a: 1, b: [1, {c: 'x\n"y', d: undefined, e: null}], f: [], g: {}, h: [undefined, () => 1], i: new Date(0)},
      [],
      {},
      'text',
      3,
      null,
      [[1, 2], [], {k: {l: [[]]}}],
    ]
    for (const sample of samples) expect(written(sample).join('')).toBe(`${JSON.stringify(sample, null, 2)}\n`)
  })

  it('writes a document larger than any one string in pieces no larger than its largest value', () => {
    const big = 'x'.repeat(1_000_000)
    const value = {results: Array.from({length: 20}, (_, i) => ({host: `h${i}`, stdout: big}))}
    const parts = written(value)
    expect(Math.max(...parts.map((part) => part.length))).toBeLessThan(big.length + 65_536 + 100)
    expect(JSON.parse(parts.join(''))).toEqual(value)
  })
})
