import {closeSync, fstatSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync} from 'node:fs'
import path from 'node:path'

import {RunError} from '../core/errors.js'
import {isAlive, processRef, type ProcessRef, startedAt} from '../lab/processes.js'
import {writeFileAtomically} from './atomic-write.js'
import {STATE_DIR_ELSEWHERE} from './file-errors.js'

/** What a lock file says about the process holding it. */
export interface LockHolder extends ProcessRef {
  /** The holder's command line. */
  command: string
  /** What it is doing: `setup_slurm`, `lab up`. */
  description: string
}

interface Held {
  holder: LockHolder
  ino: number
}

function readHolder(lockFile: string): Held | 'gone' | 'unreadable' {
  let fd: number
  try {
    fd = openSync(lockFile, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone'
    throw error
  }
  try {
    const holder = JSON.parse(readFileSync(fd, 'utf8')) as Partial<LockHolder>
    if (typeof holder.pid !== 'number' || typeof holder.startTime !== 'number') return 'unreadable'
    return {holder: {command: '', description: '', ...holder} as LockHolder, ino: fstatSync(fd).ino}
  } catch {
    return 'unreadable'
  } finally {
    closeSync(fd)
  }
}

/**
 * Remove a lock whose holder is dead. It is renamed aside first and removed only if it is still the file that was
 * judged stale: when another run took it over in between, its fresh lock is put back.
 */
function removeStale(lockFile: string, stale: Held): void {
  const aside = `${lockFile}.stale-${process.pid}`
  try {
    renameSync(lockFile, aside)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  if (statSync(aside).ino !== stale.ino) {
    try {
      linkSync(aside, lockFile)
    } catch {
      // a third run holds it now; the one moved aside lost it
    }
  }
  unlinkSync(aside)
}

function refusal(lockFile: string, holder: LockHolder): RunError {
  const doing = holder.description ? `${holder.description}: ` : ''
  return new RunError(
    `another goldentooth run holds ${lockFile}: ${doing}pid ${holder.pid} (${holder.command}), started ` +
      startedAt(holder).toISOString(),
    `wait for it to finish, or stop it (kill ${holder.pid}) if it is stuck`,
  )
}

function acquire(lockFile: string, description: string, elsewhere: string | undefined): number {
  const self = processRef(process.pid)
  if (!self) throw new RunError('cannot read this process in /proc', 'goldentooth needs Linux with /proc mounted')
  const holder: LockHolder = {...self, command: process.argv.join(' '), description}
  for (;;) {
    try {
      writeFileAtomically(lockFile, `${JSON.stringify(holder)}\n`, {
        directoryMode: 0o700,
        elsewhere,
        exclusive: true,
        mode: 0o600,
      })
      return statSync(lockFile).ino
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const held = readHolder(lockFile)
    if (held === 'gone') continue
    if (held === 'unreadable')
      throw new RunError(
        `${lockFile} exists but does not say which process holds it`,
        `if no other goldentooth run is going on, delete ${lockFile}`,
      )
    if (isAlive(held.holder)) throw refusal(lockFile, held.holder)
    removeStale(lockFile, held)
  }
}

function release(lockFile: string, ino: number): void {
  try {
    if (statSync(lockFile).ino === ino) unlinkSync(lockFile)
  } catch {
    // already gone
  }
}

/**
 * Run `work` holding an exclusive lock on `lockFile`, which names this process (pid, start time, command line). A
 * second run is refused at once, naming the holder; a lock left by a process that is gone, or whose pid now belongs to
 * another process, is taken over. The lock is released when `work` ends, when the process exits, and on SIGTERM or
 * SIGHUP that nothing else handles; after SIGKILL the next run takes it over.
 */
export async function withLock<T>(
  lockFile: string,
  description: string,
  work: () => Promise<T>,
  elsewhere?: string,
): Promise<T> {
  const ino = acquire(lockFile, description, elsewhere)
  const onExit = () => release(lockFile, ino)
  // Work that handles the signal itself (a role run stops and reports) keeps the lock until it has finished.
  const onSignal = (signal: NodeJS.Signals) => {
    if (process.listenerCount(signal) > 1) return
    release(lockFile, ino)
    process.off(signal, onSignal)
    process.kill(process.pid, signal)
  }
  process.on('exit', onExit)
  process.on('SIGTERM', onSignal)
  process.on('SIGHUP', onSignal)
  try {
    return await work()
  } finally {
    process.off('exit', onExit)
    process.off('SIGTERM', onSignal)
    process.off('SIGHUP', onSignal)
    release(lockFile, ino)
  }
}

/** Hold `<stateDir>/lock` for a run that changes hosts (a role run), so that two never run on one inventory at once. */
export function withStateLock<T>(stateDir: string, description: string, work: () => Promise<T>): Promise<T> {
  return withLock(path.join(stateDir, 'lock'), description, work, STATE_DIR_ELSEWHERE)
}
