import type {Streams} from '../fanout/results.js'

/** How text that came from a host is shown: as it is, or with control characters made visible. */
export type TextView = (text: string) => string

export const rawText: TextView = (text) => text

/**
 * Control characters in `cat -v` notation (ESC as ^[, DEL as ^?, C1 as M-^[), so a host cannot move the cursor, retitle
 * the terminal or hide text; tabs and line ends stay as they are.
 */
export const visibleText: TextView = (text) =>
  text.replaceAll(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (char, offset: number, whole: string) => {
    const code = char.charCodeAt(0)
    if (code === 0x0d && (whole[offset + 1] === '\n' || offset === whole.length - 1)) return char
    if (code === 0x7f) return '^?'
    if (code >= 0x80) return `M-^${String.fromCharCode(code - 0x80 + 0x40)}`
    return `^${String.fromCharCode(code + 0x40)}`
  })

/** What the operator asked for: control characters made visible on a terminal, unless --raw. */
export function textViewFor(raw: boolean, stream: {isTTY?: boolean}): TextView {
  return raw || !stream.isTTY ? rawText : visibleText
}

/** A line to print after a stream whose bytes were not all UTF-8. */
export function encodingNote(streams: Streams | undefined, stream: keyof Streams): string | undefined {
  if (!streams || streams[stream].utf8) return undefined
  return `[goldentooth: ${stream} was not valid UTF-8: invalid bytes are shown as U+FFFD; fetch binary data with cp]`
}
