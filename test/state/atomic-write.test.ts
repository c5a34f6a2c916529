import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {RunError} from '../../src/core/errors.js'
import {fillFileAtomically, makeDirectory, writeFileAtomically} from '../../src/state/atomic-write.js'
import {STATE_DIR_ELSEWHERE} from '../../src/state/file-errors.js'

const scratch = mkdtempSync(path.join(os.tmpdir(), 'gt-atomic-'))
/** A 64 KiB tmpfs filled to the last byte, and a read-only one. */
const full = path.join(scratch, 'full')
const readOnly = path.join(scratch, 'read-only')

function fill(dir: string): void {
  try {
    writeFileSync(path.join(dir, 'filler'), Buffer.alloc(1024 * 1024))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
  }
}

beforeAll(() => {
  for (const dir of [full, readOnly]) mkdirSync(dir)
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', full])
  writeFileSync(path.join(full, 'kept'), 'old content\n')
  fill(full)
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', readOnly])
  writeFileSync(path.join(readOnly, 'kept'), 'old content\n')
  execFileSync('mount', ['-o', 'remount,ro', readOnly])
})

afterAll(() => {
  for (const dir of [full, readOnly]) execFileSync('umount', [dir])
  rmSync(scratch, {force: true, recursive: true})
})

const entries = (dir: string) => readdirSync(dir).sort()

describe('writeFileAtomically', () => {
  it('writes the content with the mode asked for, creating directories, and leaves no temporary file', () => {
    const file = path.join(scratch, 'new', 'deeper', 'secret')
    writeFileAtomically(file, Buffer.from('s3cret'), {directoryMode: 0o700, mode: 0o600})
    expect(readFileSync(file, 'utf8')).toBe('s3cret')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700)
    expect(entries(path.dirname(file))).toEqual(['secret'])
  })

  it('replaces an existing file, or with exclusive refuses to (EEXIST) and keeps it', () => {
    const file = path.join(scratch, 'replaced')
    writeFileAtomically(file, 'one\n')
    writeFileAtomically(file, 'two\n')
    expect(readFileSync(file, 'utf8')).toBe('two\n')
    expect(statSync(file).mode & 0o777).toBe(0o644)
    expect(() => writeFileAtomically(file, 'three\n', {exclusive: true})).toThrow(
      expect.objectContaining({code: 'EEXIST'}),
    )
    expect(readFileSync(file, 'utf8')).toBe('two\n')
    expect(entries(scratch).filter((name) => name.startsWith('.'))).toEqual([])
  })

  it('on a full disk: an operator error naming the file, the old file intact, no partial or temporary file', () => {
    const error = captured(() => writeFileAtomically(path.join(full, 'kept'), Buffer.alloc(4096, 'x')))
    expect(error).toBeInstanceOf(RunError)
    expect(error.message).toBe(`cannot write ${full}/kept: no space left on device`)
    expect(error.hint).toBe(`free space on the file system that holds ${full}`)
    expect(readFileSync(path.join(full, 'kept'), 'utf8')).toBe('old content\n')
    const fresh = captured(() =>
      writeFileAtomically(path.join(full, 'secrets', 'munge.key'), Buffer.alloc(1024), {
        directoryMode: 0o700,
        elsewhere: STATE_DIR_ELSEWHERE,
      }),
    )
    expect(fresh.message).toMatch(/^cannot write .*\/secrets\/munge\.key: no space left on device$/)
    expect(fresh.hint).toMatch(/, or set GOLDENTOOTH_STATE_DIR to a writable directory$/)
    expect(entries(full)).toEqual(['filler', 'kept'].concat(existsSync(path.join(full, 'secrets')) ? ['secrets'] : []))
    if (existsSync(path.join(full, 'secrets'))) expect(entries(path.join(full, 'secrets'))).toEqual([])
  })

  it('on a read-only file system: an operator error that says so, for a new directory too', () => {
    const error = captured(() => writeFileAtomically(path.join(readOnly, 'kept'), 'new\n'))
    expect(error.message).toBe(`cannot write ${readOnly}/kept: read-only file system`)
    expect(error.hint).toBe(`make ${readOnly} writable (its file system is mounted read-only)`)
    const nested = captured(() =>
      writeFileAtomically(path.join(readOnly, '.goldentooth', 'retry'), 'h\n', {directoryMode: 0o700}),
    )
    expect(nested.message).toBe(`cannot write ${readOnly}/.goldentooth/retry: read-only file system`)
    expect(readFileSync(path.join(readOnly, 'kept'), 'utf8')).toBe('old content\n')
  })

  it('says what is in the way: a file where a directory should be, a directory where the file should be', () => {
    const blocker = path.join(scratch, 'blocker')
    writeFileSync(blocker, '')
    expect(captured(() => writeFileAtomically(path.join(blocker, 'x'), '')).message).toMatch(
      /part of its path is a file, not a directory$/,
    )
    mkdirSync(path.join(scratch, 'a-directory'))
    expect(captured(() => writeFileAtomically(path.join(scratch, 'a-directory'), '')).message).toMatch(
      /: it is a directory$/,
    )
    expect(captured(() => writeFileAtomically(path.join(scratch, 'missing', 'x'), '')).hint).toBe(
      `create ${scratch}/missing`,
    )
  })
})

describe('fillFileAtomically', () => {
  it('commits what the writer streamed into the temporary file', async () => {
    const file = path.join(scratch, 'filled')
    await fillFileAtomically(file, async (temporary) => writeFileSync(temporary, 'streamed\n'))
    expect(readFileSync(file, 'utf8')).toBe('streamed\n')
  })

  it('removes the temporary file and keeps the old one when the writer fails', async () => {
    const file = path.join(scratch, 'kept-on-failure')
    writeFileSync(file, 'old\n')
    await expect(
      fillFileAtomically(file, async (temporary) => {
        writeFileSync(temporary, 'half')
        throw new Error('connection lost')
      }),
    ).rejects.toThrow('connection lost')
    expect(readFileSync(file, 'utf8')).toBe('old\n')
    expect(entries(scratch).filter((name) => name.includes('kept-on-failure'))).toEqual(['kept-on-failure'])
  })
})

describe('makeDirectory', () => {
  it('reports the real reason a parent cannot be made (recursive mkdir says ENOENT)', () => {
    expect(() => makeDirectory(path.join(readOnly, 'a', 'b'), 0o755)).toThrow(expect.objectContaining({code: 'EROFS'}))
  })
})

function captured(work: () => unknown): RunError {
  try {
    work()
  } catch (error) {
    return error as RunError
  }
  throw new Error('expected an error')
}
