import {StringDecoder} from 'node:string_decoder'

import type {OutputListener} from '../fanout/run-command.js'

import {color} from './color.js'

type Stream = 'stderr' | 'stdout'

/**
 * Prefix every line of live output with its host (`bettley | …`, stderr as `bettley ! …`). Partial lines (and split
 * UTF-8 sequences) are held until their newline, or until flush() at the end of the run.
 */
export function liveLines(write: (text: string) => void): {flush(): void; listener: OutputListener} {
  const pending = new Map<string, {decoder: StringDecoder; host: string; rest: string; stream: Stream}>()
  const prefix = (host: string, stream: Stream) =>
    stream === 'stdout' ? `${color.bold(host)} | ` : `${color.bold(host)} ${color.yellow('!')} `
  return {
    flush() {
      for (const {decoder, host, rest, stream} of pending.values()) {
        const tail = rest + decoder.end()
        if (tail) write(`${prefix(host, stream)}${tail}\n`)
      }
      pending.clear()
    },
    listener(host, stream, chunk) {
      const key = `${stream}\u0000${host}`
      let state = pending.get(key)
      if (!state) {
        state = {decoder: new StringDecoder('utf8'), host, rest: '', stream}
        pending.set(key, state)
      }
      const lines = (state.rest + state.decoder.write(chunk)).split('\n')
      state.rest = lines.pop() ?? ''
      for (const line of lines) write(`${prefix(host, stream)}${line}\n`)
    },
  }
}
