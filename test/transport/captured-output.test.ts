import {describe, expect, it} from 'vitest'

import {CapturedOutput, omissionNote} from '../../src/transport/captured-output.js'

function capture(limit: number, chunks: Buffer[]) {
  const output = new CapturedOutput(limit)
  for (const chunk of chunks) output.push(chunk)
  return output.result()
}

describe('CapturedOutput', () => {
  it('keeps everything under the limit, and everything with limit 0', () => {
    const chunks = [Buffer.from('hello '), Buffer.from('world\n')]
    expect(capture(100, chunks)).toEqual({info: {bytes: 12, omittedBytes: 0, utf8: true}, text: 'hello world\n'})
    expect(capture(0, chunks).text).toBe('hello world\n')
    expect(capture(12, chunks).info.omittedBytes).toBe(0)
  })

  it('keeps the first and last halves of a larger stream and says how much it left out', () => {
    const chunks = Array.from({length: 100}, (_, i) => Buffer.from(`line ${String(i).padStart(3, '0')}\n`))
    const {info, text} = capture(40, chunks)
    expect(info).toEqual({bytes: 900, omittedBytes: 860, utf8: true})
    expect(text).toBe(`line 000\nline 001\nli\n${omissionNote(860)}\n7\nline 098\nline 099\n`)
  })

  it('never splits a UTF-8 character at either cut', () => {
    const euros = Buffer.from('€'.repeat(100))
    const {info, text} = capture(10, [euros])
    expect(info.utf8).toBe(true)
    expect(text).toBe(`€\n${omissionNote(294)}\n€`)
  })

  it('says when the bytes are not UTF-8', () => {
    expect(capture(100, [Buffer.from([0x66, 0xff, 0x00, 0x67])]).info).toEqual({bytes: 4, omittedBytes: 0, utf8: false})
  })
})
