/**
 * Write `value` as JSON.stringify(value, null, 2) would, in pieces: a document holding many hosts' output never has to
 * exist as one string (V8 caps strings at about 512 MiB), and memory stays at the size of its largest string.
 */
export function writeJson(value: unknown, write: (text: string) => void): void {
  let pending = ''
  const emit = (text: string) => {
    pending += text
    if (pending.length >= 65_536) {
      write(pending)
      pending = ''
    }
  }
  writeValue(value, '', emit)
  write(`${pending}\n`)
}

function writeValue(value: unknown, indent: string, emit: (text: string) => void): void {
  const plain = toPlain(value)
  if (Array.isArray(plain)) {
    if (plain.length === 0) return emit('[]')
    const inner = `${indent}  `
    emit('[')
    plain.forEach((item: unknown, index) => {
      emit(`${index === 0 ? '' : ','}\n${inner}`)
      const converted = toPlain(item)
      if (converted === undefined || typeof converted === 'function' || typeof converted === 'symbol') emit('null')
      else writeValue(converted, inner, emit)
    })
    return emit(`\n${indent}]`)
  }
  if (plain !== null && typeof plain === 'object') {
    const entries = Object.entries(plain).filter(([, item]) => {
      const converted = toPlain(item)
      return converted !== undefined && typeof converted !== 'function' && typeof converted !== 'symbol'
    })
    if (entries.length === 0) return emit('{}')
    const inner = `${indent}  `
    emit('{')
    entries.forEach(([key, item], index) => {
      emit(`${index === 0 ? '' : ','}\n${inner}${JSON.stringify(key)}: `)
      writeValue(item, inner, emit)
    })
    return emit(`\n${indent}}`)
  }
  emit(JSON.stringify(plain) ?? 'null')
}

function toPlain(value: unknown): unknown {
  const withToJson = value as {toJSON?: () => unknown} | null
  return withToJson !== null && typeof withToJson === 'object' && typeof withToJson.toJSON === 'function'
    ? withToJson.toJSON()
    : value
}
