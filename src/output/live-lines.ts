import {StringDecoder} from 'node:string_decoder'

import type {OutputListener} from '../fanout/run-command.js'
import type {TextView} from './host-text.js'

import {color} from './color.js'

type Stream = 'stderr' | 'stdout'

/** A line longer than this is printed in parts of this size, so a host cannot make us hold (or rescan) a huge line. */
export const MAX_LIVE_LINE = 64 * 1024

interface Pending {
  decoder: StringDecoder
  host: string
  /** The start of the current line, in the pieces it arrived in. */
  pieces: string[]
  length: number
  stream: Stream
}

export interface LiveLines {
  /** Print what is held of unfinished lines: the run is over. */
  flush(): void
  listener: OutputListener
}

/**
 * Prefix every line of live output with its host (`bettley | …`, stderr as `bettley ! …`). Partial lines (and split
 * UTF-8 sequences) are held until their newline, or until flush() at the end of the run. Each byte is looked at once.
 */
export function liveLines(write: (text: string) => void, view: TextView): LiveLines {
  const pending = new Map<string, Pending>()
  const prefix = (host: string, stream: Stream) =>
    stream === 'stdout' ? `${color.bold(host)} | ` : `${color.bold(host)} ${color.yellow('!')} `
  const emit = (state: Pending, tail: string) => {
    write(`${prefix(state.host, state.stream)}${view(state.pieces.join('') + tail)}\n`)
    state.pieces = []
    state.length = 0
  }
  const hold = (state: Pending, text: string) => {
    let rest = text
    while (state.length + rest.length > MAX_LIVE_LINE) {
      const room = MAX_LIVE_LINE - state.length
      emit(state, rest.slice(0, room))
      rest = rest.slice(room)
    }
    if (rest) {
      state.pieces.push(rest)
      state.length += rest.length
    }
  }
  return {
    flush() {
      for (const state of pending.values()) {
        hold(state, state.decoder.end())
        if (state.length > 0) emit(state, '')
      }
      pending.clear()
    },
    listener(host, stream, chunk) {
      const key = `${stream}\u0000${host}`
      let state = pending.get(key)
      if (!state) {
        state = {decoder: new StringDecoder('utf8'), host, length: 0, pieces: [], stream}
        pending.set(key, state)
      }
      const text = state.decoder.write(chunk)
      let start = 0
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        hold(state, text.slice(start, end))
        emit(state, '')
        start = end + 1
      }
      hold(state, text.slice(start))
    },
  }
}
