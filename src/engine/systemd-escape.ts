const PLAIN = /^[A-Za-z0-9:_.]$/

function escapeByte(byte: number): string {
  return `\\x${byte.toString(16).padStart(2, '0')}`
}

/** systemd's do_escape(): `/` becomes `-`; bytes outside [A-Za-z0-9:_.], and a leading `.`, become `\xNN`. */
function escape(text: string): string {
  let escaped = ''
  const bytes = Buffer.from(text, 'utf8')
  for (const [index, byte] of bytes.entries()) {
    const char = String.fromCharCode(byte)
    if (char === '/') escaped += '-'
    else if (byte < 0x80 && PLAIN.test(char) && !(index === 0 && char === '.')) escaped += char
    else escaped += escapeByte(byte)
  }
  return escaped
}

/**
 * `systemd-escape --path PATH`: the string a `.mount` or `.automount` unit for PATH must be named after
 * (`/mnt/gpu-storage` -> `mnt-gpu\x2dstorage`). Redundant slashes and `.` components are dropped; a relative path or
 * one with `..` is refused, as systemd refuses it.
 */
export function systemdEscapePath(path: string): string {
  if (!path.startsWith('/')) throw new Error(`${JSON.stringify(path)} is not an absolute path`)
  const parts = path.split('/').filter((part) => part !== '' && part !== '.')
  if (parts.includes('..')) throw new Error(`${JSON.stringify(path)} is not a normalized path`)
  return parts.length === 0 ? '-' : escape(parts.join('/'))
}

/** The unit systemd expects for a mount point: `mnt-nfs.mount`, `mnt-gpu\x2dstorage.automount`. */
export function mountUnitName(path: string, type: 'automount' | 'mount'): string {
  return `${systemdEscapePath(path)}.${type}`
}
