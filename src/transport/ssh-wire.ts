/** Reading the SSH wire encoding (RFC 4251 §5): uint32, uint64, string, mpint. */

export function readSshString(buf: Buffer, offset: number): {value: Buffer; next: number} | undefined {
  if (offset + 4 > buf.length) return undefined
  const length = buf.readUInt32BE(offset)
  const next = offset + 4 + length
  if (next > buf.length) return undefined
  return {value: buf.subarray(offset + 4, next), next}
}

export class WireFormatError extends Error {}

/** Sequential reader that throws WireFormatError when the data ends early. */
export class SshReader {
  offset = 0

  readonly buf: Buffer

  constructor(buf: Buffer) {
    this.buf = buf
  }

  string(): Buffer {
    const read = readSshString(this.buf, this.offset)
    if (!read) throw new WireFormatError('truncated string')
    this.offset = read.next
    return read.value
  }

  text(): string {
    return this.string().toString('utf8')
  }

  uint32(): number {
    if (this.offset + 4 > this.buf.length) throw new WireFormatError('truncated uint32')
    const value = this.buf.readUInt32BE(this.offset)
    this.offset += 4
    return value
  }

  uint64(): bigint {
    if (this.offset + 8 > this.buf.length) throw new WireFormatError('truncated uint64')
    const value = this.buf.readBigUInt64BE(this.offset)
    this.offset += 8
    return value
  }

  atEnd(): boolean {
    return this.offset === this.buf.length
  }
}

export function sshString(value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value
  const length = Buffer.alloc(4)
  length.writeUInt32BE(bytes.length)
  return Buffer.concat([length, bytes])
}
