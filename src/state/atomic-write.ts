import {randomBytes} from 'node:crypto'
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
  type PathLike,
} from 'node:fs'
import path from 'node:path'

import {fileError} from './file-errors.js'

export interface AtomicWriteOptions {
  /** Create missing parent directories with this mode; without it a missing directory is an error. */
  directoryMode?: number
  /** What else the operator can do when the file cannot be written (see fileError). */
  elsewhere?: string | undefined
  /** Fail with EEXIST, leaving the existing file alone, instead of replacing it. */
  exclusive?: boolean
  /** The file's permission bits (less the umask); default 0644. */
  mode?: number
}

/**
 * Write `file` so that it holds either its old content or all of the new one, never a part: the content goes to a
 * temporary file beside it, created exclusively with the final mode, is flushed to disk, and is then renamed over
 * `file` (or, `exclusive`, linked to it), and the directory is flushed. When anything fails before that, the temporary file is
 * removed and `file` is as it was. A full disk, a read-only or unwritable directory and the like are RunErrors naming `file`.
 */
export function writeFileAtomically(file: string, content: Buffer | string, options: AtomicWriteOptions = {}): void {
  const temporary = createTemporary(file, options)
  try {
    const fd = openSync(temporary, 'r+')
    try {
      const bytes = typeof content === 'string' ? Buffer.from(content) : content
      for (let written = 0; written < bytes.length;) written += writeSync(fd, bytes, written, bytes.length - written)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    commit(temporary, file, options)
  } catch (error) {
    discard(temporary)
    throw fileError(error, file, options)
  }
}

/**
 * Like writeFileAtomically, for content that another writer streams into the temporary file (an SFTP download):
 * `fill` writes to the path it is given, which exists, empty, with the final mode.
 */
export async function fillFileAtomically(
  file: string,
  fill: (temporary: string) => Promise<void>,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const temporary = createTemporary(file, options)
  try {
    await fill(temporary)
    const fd = openSync(temporary, 'r+')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    commit(temporary, file, options)
  } catch (error) {
    discard(temporary)
    throw fileError(error, file, options)
  }
}

function createTemporary(file: string, options: AtomicWriteOptions): string {
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.goldentooth-${randomBytes(6).toString('hex')}`,
  )
  try {
    if (options.directoryMode !== undefined) makeDirectory(path.dirname(file), options.directoryMode)
    closeSync(openSync(temporary, 'wx', options.mode ?? 0o644))
  } catch (error) {
    throw fileError(error, file, options)
  }
  return temporary
}

function commit(temporary: string, file: string, options: AtomicWriteOptions): void {
  if (options.exclusive) {
    linkSync(temporary, file)
    unlinkSync(temporary)
  } else renameSync(temporary, file)
  syncDirectory(path.dirname(file))
}

function discard(temporary: string): void {
  try {
    unlinkSync(temporary)
  } catch {
    // never created, or already renamed into place
  }
}

/** fsync on a directory is EINVAL on file systems that cannot sync one; the rename is then as durable as it gets. */
function syncDirectory(dir: PathLike): void {
  const fd = openSync(dir, 'r')
  try {
    fsyncSync(fd)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error
  } finally {
    closeSync(fd)
  }
}

/**
 * mkdir -p, one level at a time: a recursive mkdirSync reports ENOENT for the whole path when the real trouble is a
 * read-only or unwritable parent.
 */
export function makeDirectory(dir: string, mode: number): void {
  try {
    mkdirSync(dir, {mode})
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return
    if (code !== 'ENOENT' || path.dirname(dir) === dir) throw error
    makeDirectory(path.dirname(dir), mode)
    makeDirectory(dir, mode)
  }
}
