import os from 'node:os'
import path from 'node:path'

import {RunError} from '../core/errors.js'

/** The other way out when goldentooth's state directory cannot be written. */
export const STATE_DIR_ELSEWHERE = 'or set GOLDENTOOTH_STATE_DIR to a writable directory'

export interface FileErrorOptions {
  action?: 'read' | 'write'
  /** What else the operator can do, appended to the hint: `or set GOLDENTOOTH_STATE_DIR to a writable directory`. */
  elsewhere?: string | undefined
}

type Explanation = (file: string, dir: string) => {hint: string; why: string}

const EXPLANATIONS: Record<string, Explanation> = {
  EACCES: (_file, dir) => ({hint: `make ${dir} writable by ${os.userInfo().username}`, why: 'permission denied'}),
  EDQUOT: (_file, dir) => ({hint: `free space within your disk quota on ${dir}`, why: 'disk quota exceeded'}),
  EFBIG: () => ({hint: 'raise the file size limit (ulimit -f)', why: 'file too large'}),
  EIO: (_file, dir) => ({hint: `check the disk that holds ${dir}`, why: 'input/output error'}),
  EISDIR: (file) => ({hint: `move the directory ${file} out of the way`, why: 'it is a directory'}),
  ENOENT: (_file, dir) => ({hint: `create ${dir}`, why: 'its directory does not exist'}),
  ENOSPC: (_file, dir) => ({hint: `free space on the file system that holds ${dir}`, why: 'no space left on device'}),
  ENOTDIR: (file) => ({
    hint: `move the file that stands where a directory of ${file} should be`,
    why: 'part of its path is a file, not a directory',
  }),
  EPERM: (_file, dir) => ({hint: `make ${dir} writable by ${os.userInfo().username}`, why: 'operation not permitted'}),
  EROFS: (_file, dir) => ({
    hint: `make ${dir} writable (its file system is mounted read-only)`,
    why: 'read-only file system',
  }),
}

/**
 * A failure to read or write a file on the operator's machine that the operator can fix (a full disk, a read-only or
 * unwritable directory, …), as one RunError naming the file and what to do; any other error is returned unchanged.
 */
export function fileError(error: unknown, file: string, options: FileErrorOptions = {}): unknown {
  const errno = error as NodeJS.ErrnoException | undefined
  const explain = errno?.code === undefined ? undefined : EXPLANATIONS[errno.code]
  if (!explain) return error
  const {hint, why} = explain(file, path.dirname(errno?.path ?? file))
  return new RunError(
    `cannot ${options.action ?? 'write'} ${file}: ${why}`,
    options.elsewhere ? `${hint}, ${options.elsewhere}` : hint,
  )
}

/** fileError for a file in goldentooth's state directory: the hint also offers GOLDENTOOTH_STATE_DIR. */
export function stateFileError(error: unknown, file: string): unknown {
  return fileError(error, file, {elsewhere: STATE_DIR_ELSEWHERE})
}
