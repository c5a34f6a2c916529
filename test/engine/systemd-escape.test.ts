import {execa} from 'execa'
import {describe, expect, it} from 'vitest'

import {mountUnitName, systemdEscapePath} from '../../src/engine/systemd-escape.js'

const PIECES = [
  'mnt',
  'gpu-storage',
  'nfs',
  '.hidden',
  'a.b',
  'c:d_e',
  'ä',
  'x y',
  'back\\slash',
  '-',
  '--x',
  '.',
  '',
  'ü€',
  'tab\t',
  '%',
  '@',
  '+',
  '~',
]

/** Deterministic pseudo-random absolute paths built from awkward pieces (doubled slashes, dots, UTF-8, dashes). */
function paths(count: number): string[] {
  let seed = 42
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
    return seed
  }
  return Array.from({length: count}, () => {
    const depth = 1 + (next() % 4)
    const parts = Array.from({length: depth}, () => PIECES[next() % PIECES.length]!)
    return `/${parts.join(next() % 5 === 0 ? '//' : '/')}${next() % 7 === 0 ? '/' : ''}`
  })
}

async function real(path: string): Promise<string> {
  const run = await execa('systemd-escape', ['--path', '--', path])
  return run.stdout
}

describe('systemdEscapePath', () => {
  it('names the original cluster units as the original did', () => {
    expect(systemdEscapePath('/mnt/gpu-storage')).toBe(String.raw`mnt-gpu\x2dstorage`)
    expect(mountUnitName('/mnt/nfs', 'automount')).toBe('mnt-nfs.automount')
    expect(systemdEscapePath('/')).toBe('-')
  })

  it('agrees with the real systemd-escape --path on 300 awkward paths', async () => {
    const inputs = [...new Set(paths(300))]
    const expected = await Promise.all(inputs.map(real))
    expect(inputs.map((path) => systemdEscapePath(path))).toEqual(expected)
  })

  it('refuses what systemd-escape refuses: relative and non-normalized paths', async () => {
    for (const path of ['/a/../b', 'mnt/nfs', '']) {
      expect(() => systemdEscapePath(path), path).toThrow()
    }
    const dotdot = await execa('systemd-escape', ['--path', '--', '/a/../b'], {reject: false})
    expect(dotdot.exitCode).not.toBe(0)
  })
})
