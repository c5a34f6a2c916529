import {randomBytes} from 'node:crypto'
import {createReadStream} from 'node:fs'
import {posix} from 'node:path'

import type {OpenMode, SFTPWrapper, Stats} from 'ssh2'

import {GoldentoothError} from '../core/errors.js'
import {fillFileAtomically} from '../state/atomic-write.js'
import {TransferError} from './errors.js'

export type UploadContent = Buffer | string | {localPath: string}

/**
 * Write `remotePath` atomically: the data goes to a temporary file beside it, is flushed to disk (fsync@openssh.com)
 * and given its mode, and only then renamed over the destination (posix-rename@openssh.com; a plain SFTP rename when
 * the server lacks it). A reader sees the old file or the new one, never a part. Without `mode`, an existing file's
 * mode is kept, and a new file gets 0644.
 */
export async function atomicUpload(
  sftp: SFTPWrapper,
  content: UploadContent,
  remotePath: string,
  mode: number | undefined,
  where: string,
): Promise<void> {
  const temporary = posix.join(posix.dirname(remotePath), `.${posix.basename(remotePath)}.goldentooth-${nonce()}`)
  const fail = (action: string, err: unknown) =>
    new TransferError(`cannot ${action} ${where}:${remotePath}: ${err instanceof Error ? err.message : String(err)}`)
  const finalMode =
    mode ??
    (await stat(sftp, remotePath).then(
      (stats) => stats.mode & 0o7777,
      () => 0o644,
    ))
  let handle: Buffer
  try {
    handle = await open(sftp, temporary, 'wx', 0o600)
  } catch (err) {
    throw fail('write', err)
  }
  try {
    let position = 0
    for await (const chunk of chunks(content)) {
      await write(sftp, handle, chunk, position)
      position += chunk.length
    }
    await fchmod(sftp, handle, finalMode)
    await fsyncIfSupported(sftp, handle)
    await close(sftp, handle)
    await posixRename(sftp, temporary, remotePath)
  } catch (err) {
    await close(sftp, handle).catch(() => {})
    await unlinkRemote(sftp, temporary).catch(() => {})
    throw fail('write', err)
  }
}

/** Copy `remotePath` to `localPath` atomically (fillFileAtomically): the old file or the whole new one, never a part. */
export async function download(sftp: SFTPWrapper, remotePath: string, localPath: string, where: string): Promise<void> {
  try {
    await fillFileAtomically(localPath, (temporary) => fastGet(sftp, remotePath, temporary))
  } catch (err) {
    if (err instanceof GoldentoothError)
      throw new TransferError(`cannot copy ${where}:${remotePath}: ${err.message}`, err.hint)
    const message = err instanceof Error ? err.message : String(err)
    throw new TransferError(`cannot copy ${where}:${remotePath} to ${localPath}: ${message}`)
  }
}

async function* chunks(content: UploadContent): AsyncGenerator<Buffer> {
  if (typeof content === 'string') yield Buffer.from(content)
  else if (Buffer.isBuffer(content)) yield content
  else for await (const chunk of createReadStream(content.localPath, {highWaterMark: 256 * 1024})) yield chunk as Buffer
}

function nonce(): string {
  return randomBytes(6).toString('hex')
}

function open(sftp: SFTPWrapper, path: string, flags: OpenMode, mode: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    sftp.open(path, flags, {mode}, (err, handle) => (err ? reject(err) : resolve(handle))),
  )
}

function fastGet(sftp: SFTPWrapper, remotePath: string, localPath: string): Promise<void> {
  return new Promise((resolve, reject) => sftp.fastGet(remotePath, localPath, (err) => (err ? reject(err) : resolve())))
}

function write(sftp: SFTPWrapper, handle: Buffer, data: Buffer, position: number): Promise<void> {
  return new Promise((resolve, reject) =>
    sftp.write(handle, data, 0, data.length, position, (err) => (err ? reject(err) : resolve())),
  )
}

function fchmod(sftp: SFTPWrapper, handle: Buffer, mode: number): Promise<void> {
  return new Promise((resolve, reject) => sftp.fchmod(handle, mode, (err) => (err ? reject(err) : resolve())))
}

function close(sftp: SFTPWrapper, handle: Buffer): Promise<void> {
  return new Promise((resolve, reject) => sftp.close(handle, (err) => (err ? reject(err) : resolve())))
}

function stat(sftp: SFTPWrapper, path: string): Promise<Stats> {
  return new Promise((resolve, reject) => sftp.stat(path, (err, stats) => (err ? reject(err) : resolve(stats))))
}

function unlinkRemote(sftp: SFTPWrapper, path: string): Promise<void> {
  return new Promise((resolve, reject) => sftp.unlink(path, (err) => (err ? reject(err) : resolve())))
}

/** ssh2 throws this synchronously when the server did not announce an extension. */
function unsupported(err: unknown): boolean {
  return err instanceof Error && err.message.includes('does not support this extended request')
}

function fsyncIfSupported(sftp: SFTPWrapper, handle: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      sftp.ext_openssh_fsync(handle, (err) => (err ? reject(err) : resolve()))
    } catch (err) {
      if (unsupported(err)) resolve()
      else reject(err)
    }
  })
}

function posixRename(sftp: SFTPWrapper, from: string, to: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null | undefined) => (err ? reject(err) : resolve())
    try {
      sftp.ext_openssh_rename(from, to, done)
    } catch (err) {
      if (unsupported(err)) sftp.rename(from, to, done)
      else reject(err)
    }
  })
}
