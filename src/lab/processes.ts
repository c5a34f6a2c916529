import {spawn} from 'node:child_process'
import {closeSync, openSync, readdirSync, readFileSync, readlinkSync} from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'

import {RunError} from '../core/errors.js'

/** Clock ticks per second in /proc/<pid>/stat; fixed at 100 by the Linux ABI on the architectures the lab runs on. */
const USER_HZ = 100

/** A process the lab started, identified by pid and start time so that a reused pid is never mistaken for it. */
export interface ProcessRef {
  pid: number
  startTime: number
}

interface ProcStat {
  state: string
  ppid: number
  startTime: number
}

function readStat(pid: number): ProcStat | undefined {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  return {state: fields[0] ?? '', ppid: Number(fields[1]), startTime: Number(fields[19])}
}

export function processRef(pid: number): ProcessRef | undefined {
  const stat = readStat(pid)
  return stat ? {pid, startTime: stat.startTime} : undefined
}

export function isAlive(ref: ProcessRef): boolean {
  const stat = readStat(ref.pid)
  return stat !== undefined && stat.startTime === ref.startTime && stat.state !== 'Z'
}

function bootTimeSeconds(): number {
  const match = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))
  return Number(match?.[1] ?? 0)
}

/** When the process started, as a Date. */
export function startedAt(ref: ProcessRef): Date {
  return new Date((bootTimeSeconds() + ref.startTime / USER_HZ) * 1000)
}

export function childPids(pid: number): number[] {
  const children: number[] = []
  for (const task of readdirSafe(`/proc/${pid}/task`)) {
    try {
      children.push(
        ...readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
      )
    } catch {
      continue
    }
  }
  return children
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}

/** Pids of every process whose network namespace is the one at nsPath (a /run/netns/NAME bind mount). */
export function processesInNetns(nsPath: string): number[] {
  let target: string
  try {
    target = netnsId(nsPath)
  } catch {
    return []
  }
  return readdirSafe('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return readlinkSync(`/proc/${entry}/ns/net`) === target
      } catch {
        return false
      }
    })
    .map(Number)
}

/**
 * Pids of processes running one of `commands` with an argument inside `dir`: the lab's own daemons even when no state
 * recorded them (dir is the lab's private runtime directory).
 */
export function processesUsing(dir: string, commands: readonly string[]): number[] {
  return readdirSafe('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')
        const name = argv[0]?.split('/').at(-1) ?? ''
        return commands.includes(name) && argv.slice(1).some((arg) => arg.includes(`${dir}/`))
      } catch {
        return false
      }
    })
    .map(Number)
}

function netnsId(nsPath: string): string {
  const fd = openSync(nsPath, 'r')
  try {
    return readlinkSync(`/proc/self/fd/${fd}`)
  } finally {
    closeSync(fd)
  }
}

/**
 * Start a long-lived process in its own session (Ctrl-C on the CLI does not reach it), with stdin from /dev/null and
 * stdout and stderr written to logFile. Returns once the process exists.
 */
export function spawnDetached(
  command: string,
  args: readonly string[],
  logFile: string,
  flags: 'a' | 'w' = 'a',
): ProcessRef {
  const log = openSync(logFile, flags)
  try {
    const child = spawn(command, args, {detached: true, stdio: ['ignore', log, log]})
    child.on('error', () => undefined)
    child.unref()
    const ref = child.pid === undefined ? undefined : processRef(child.pid)
    if (!ref) throw new RunError(`could not start ${command}`, `is ${command} installed and executable?`)
    return ref
  } finally {
    closeSync(log)
  }
}

async function waitForExit(ref: ProcessRef, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (isAlive(ref)) {
    if (Date.now() >= deadline) return false
    await sleep(100)
  }
  return true
}

/** Send signal (if the process is still the one we started), wait up to timeoutMs; true when it is gone. */
export async function signalAndWait(ref: ProcessRef, signal: NodeJS.Signals, timeoutMs: number): Promise<boolean> {
  if (!isAlive(ref)) return true
  try {
    process.kill(ref.pid, signal)
  } catch {
    return !isAlive(ref)
  }
  return waitForExit(ref, timeoutMs)
}

/**
 * Stop a process the lab started: SIGTERM, then SIGKILL to it and its children after timeoutMs. Children that outlive
 * it (socat's per-connection forks) get SIGTERM, then SIGKILL.
 */
export async function terminate(ref: ProcessRef, timeoutMs: number): Promise<void> {
  const children = childPids(ref.pid).flatMap((pid) => processRef(pid) ?? [])
  if (await signalAndWait(ref, 'SIGTERM', timeoutMs)) {
    for (const child of children) {
      if (!(await signalAndWait(child, 'SIGTERM', 2_000))) await signalAndWait(child, 'SIGKILL', 2_000)
    }
    return
  }
  for (const child of children) await signalAndWait(child, 'SIGKILL', 5_000)
  await signalAndWait(ref, 'SIGKILL', 5_000)
}
