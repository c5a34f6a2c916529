import {mkdirSync, readFileSync, unlinkSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {RunError} from '../cli/errors.js'
import {LAB_LOCK} from './paths.js'
import {isAlive, processRef} from './processes.js'

function holder(lockFile: string): {pid: number; startTime: number} | undefined {
  try {
    const [pid, startTime] = readFileSync(lockFile, 'utf8').trim().split(' ').map(Number)
    return pid && startTime !== undefined ? {pid, startTime} : undefined
  } catch {
    return undefined
  }
}

function acquire(lockFile: string): void {
  const self = processRef(process.pid)
  if (!self) throw new RunError('cannot read this process in /proc')
  mkdirSync(path.dirname(lockFile), {recursive: true, mode: 0o700})
  for (;;) {
    try {
      writeFileSync(lockFile, `${self.pid} ${self.startTime}\n`, {flag: 'wx'})
      return
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    const owner = holder(lockFile)
    if (owner && isAlive(owner)) {
      throw new RunError(`another goldentooth lab command is running (pid ${owner.pid})`, 'wait for it to finish')
    }
    unlinkSync(lockFile)
  }
}

/**
 * Run fn while holding the lab's lock, so that two lab commands never change the lab at once. The lock names its
 * holder's pid and start time: one left by a crashed run is taken over.
 */
export async function withLabLock<T>(fn: () => Promise<T>, lockFile = LAB_LOCK): Promise<T> {
  acquire(lockFile)
  try {
    return await fn()
  } finally {
    unlinkSync(lockFile)
  }
}
