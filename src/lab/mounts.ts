import {readFileSync} from 'node:fs'
import path from 'node:path'

import {execa} from 'execa'

import {RunError} from '../core/errors.js'

function unescapeMountPath(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)))
}

/** Mount points of this process's mount namespace, in mount order. */
function mountPoints(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => unescapeMountPath(line.split(' ')[4] ?? ''))
}

export function isMountPoint(dir: string): boolean {
  return mountPoints().includes(path.resolve(dir))
}

/** Mount points at or below dir, deepest (most recently mounted) first. */
export function mountsUnder(dir: string): string[] {
  const root = path.resolve(dir)
  return mountPoints()
    .filter((point) => point === root || point.startsWith(`${root}/`))
    .reverse()
}

export async function mount(type: string, source: string, target: string, options: string): Promise<void> {
  const result = await execa('mount', ['-t', type, '-o', options, source, target], {reject: false, stdin: 'ignore'})
  if (result.failed)
    throw new RunError(`cannot mount ${type} on ${target}: ${result.stderr.trim() || result.shortMessage}`)
}

/** Unmount everything at or below dir; a busy mount is detached lazily so that cleanup always completes. */
export async function unmountAll(dir: string): Promise<void> {
  for (const point of mountsUnder(dir)) {
    const result = await execa('umount', [point], {reject: false, stdin: 'ignore'})
    if (result.failed && isMountPoint(point)) await execa('umount', ['-l', point], {reject: false, stdin: 'ignore'})
  }
  const left = mountsUnder(dir)
  if (left.length > 0) throw new RunError(`cannot unmount ${left.join(', ')}`, `fuser -vm ${left[0]}`)
}
