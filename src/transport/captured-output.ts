import {constants, isUtf8} from 'node:buffer'

/** What was received on one stream of a command, beside the text kept of it. */
export interface StreamInfo {
  /** Bytes the host sent. */
  bytes: number
  /** Bytes left out of the text, from its middle: its first and last parts are kept. */
  omittedBytes: number
  /** false when the kept bytes are not valid UTF-8 (the text shows U+FFFD where they were not). */
  utf8: boolean
}

export interface Captured {
  info: StreamInfo
  text: string
}

/** What a command may keep of each stream when the caller does not say: bounds a hostile host's output. */
export const DEFAULT_CAPTURE_LIMIT = 64 * 1024 * 1024

/** The most a stream can keep even with no limit: what fits in one JavaScript string, with room for the note. */
const STRING_CEILING = constants.MAX_STRING_LENGTH - 1024

/**
 * One stream's output, kept up to `limit` bytes (0: everything that fits in a string): the first half and the last
 * half, so that memory stays flat however much arrives, and both a command's start and its final error survive.
 */
export class CapturedOutput {
  private readonly head: Buffer[] = []
  private headBytes = 0
  private readonly tail: Buffer[] = []
  private tailBytes = 0
  private received = 0
  private readonly headLimit: number
  private readonly tailLimit: number

  constructor(limit: number) {
    const kept = limit === 0 ? STRING_CEILING : Math.min(limit, STRING_CEILING)
    this.headLimit = Math.ceil(kept / 2)
    this.tailLimit = kept - this.headLimit
  }

  push(chunk: Buffer): void {
    this.received += chunk.length
    let rest = chunk
    if (this.headBytes < this.headLimit) {
      const taken = rest.subarray(0, this.headLimit - this.headBytes)
      this.head.push(taken)
      this.headBytes += taken.length
      rest = rest.subarray(taken.length)
    }
    if (rest.length === 0) return
    this.tail.push(rest)
    this.tailBytes += rest.length
    while (this.tailBytes > this.tailLimit) {
      const first = this.tail[0]!
      const excess = this.tailBytes - this.tailLimit
      if (first.length <= excess) {
        this.tail.shift()
        this.tailBytes -= first.length
      } else {
        this.tail[0] = first.subarray(excess)
        this.tailBytes -= excess
      }
    }
  }

  result(): Captured {
    const omittedBytes = this.received - this.headBytes - this.tailBytes
    if (omittedBytes === 0) {
      const all = Buffer.concat([...this.head, ...this.tail])
      return {info: {bytes: this.received, omittedBytes, utf8: isUtf8(all)}, text: all.toString('utf8')}
    }
    const head = Buffer.concat(this.head)
    const tail = Buffer.concat(this.tail)
    const headEnd = characterBoundaryBefore(head, head.length)
    const tailStart = characterBoundaryAfter(tail)
    const kept = [head.subarray(0, headEnd), tail.subarray(tailStart)]
    const omitted = omittedBytes + (head.length - headEnd) + tailStart
    return {
      info: {bytes: this.received, omittedBytes: omitted, utf8: kept.every((part) => isUtf8(part))},
      text: `${kept[0]!.toString('utf8')}\n${omissionNote(omitted)}\n${kept[1]!.toString('utf8')}`,
    }
  }
}

/** The line that stands where output was left out. */
export function omissionNote(omittedBytes: number): string {
  return `[goldentooth: ${formatBytes(omittedBytes)} of output omitted here; --max-output to keep more]`
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(1)} ${units[unit]}`
}

const isContinuation = (byte: number | undefined) => byte !== undefined && (byte & 0xc0) === 0x80

/** Cut before a UTF-8 sequence that `end` would split. */
function characterBoundaryBefore(buffer: Buffer, end: number): number {
  let start = end
  while (start > 0 && end - start < 4 && isContinuation(buffer[start - 1])) start--
  if (start === 0 || end - start >= 4) return end
  const lead = buffer[start - 1]!
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1
  return end - (start - 1) < length ? start - 1 : end
}

/** Skip continuation bytes of a sequence whose start was cut off. */
function characterBoundaryAfter(buffer: Buffer): number {
  let start = 0
  while (start < 3 && isContinuation(buffer[start])) start++
  return start
}
