import {parseAddress} from './address.js'

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'

/** Ansible's expand_hostname_range(): `db[01:03]-x` → db01-x, db02-x, db03-x; letters and a :step too. */
function expandHostRange(line: string): string[] {
  const open = line.indexOf('[')
  const close = line.indexOf(']', open)
  if (close < 0) throw new Error(`host range in '${line}' has no closing ']'`)
  const head = line.slice(0, open)
  const tail = line.slice(close + 1)
  const bounds = line.slice(open + 1, close).split(':')
  if (bounds.length !== 2 && bounds.length !== 3) throw new Error('host range must be begin:end or begin:end:step')
  const begin = bounds[0] || '0'
  const end = bounds[1]!
  const step = Number(bounds[2] ?? '1')
  if (!end) throw new Error('host range must specify end value')
  if (!Number.isInteger(step) || step <= 0) throw new Error(`host range step must be a positive integer`)
  const width = begin[0] === '0' && begin.length > 1 ? begin.length : 0
  if (width && width !== end.length) throw new Error('host range must specify equal-length begin and end formats')

  const items: string[] = []
  const letterBegin = LETTERS.indexOf(begin)
  const letterEnd = LETTERS.indexOf(end)
  if (letterBegin >= 0 && letterEnd >= 0) {
    if (letterBegin > letterEnd) throw new Error('host range must have begin <= end')
    for (let i = letterBegin; i <= letterEnd; i += step) items.push(LETTERS[i]!)
  } else {
    const first = Number(begin)
    const last = Number(end)
    if (!/^\d+$/.test(begin) || !/^\d+$/.test(end)) throw new Error(`host range [${bounds.join(':')}] is not numeric`)
    for (let i = first; i <= last; i += step) items.push(String(i).padStart(width, '0'))
  }
  return items.flatMap((item) => {
    const name = `${head}${item}${tail}`
    return name.includes('[') ? expandHostRange(name) : [name]
  })
}

/** Ansible's _expand_hostpattern(): a host key may carry `:port` and `[x:y]` ranges. */
export function expandHostPattern(key: string): {hosts: string[]; port?: number} {
  const parsed = parseAddress(key, true)
  const pattern = parsed?.host ?? key
  const hosts = pattern.includes('[') ? expandHostRange(pattern) : [pattern]
  return parsed?.port === undefined ? {hosts} : {hosts, port: parsed.port}
}
