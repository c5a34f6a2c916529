import {setMaxListeners} from 'node:events'
import {isatty} from 'node:tty'

import {type ExitCode, exitCodeOnSignal, type StopSignal} from '../core/exit-codes.js'

const STOP_SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

export interface Interrupt {
  /** Aborted by the first SIGINT, SIGTERM or SIGHUP (its name is the reason): start nothing new. */
  readonly signal: AbortSignal
  /** Aborted by the second, when the command has a second stage: stop what still runs. */
  readonly force: AbortSignal
  dispose(): void
}

export interface InterruptNotices {
  /** Printed on the first signal. */
  first: string
  /** Printed on the second signal, which then aborts `force`; without it the second signal exits at once. */
  second?: string
}

/**
 * Ctrl-C (or SIGTERM, or SIGHUP when the terminal goes away) once: stop starting new work and let the command report
 * what finished, exiting 128 + the signal's number. Again: the second stage, if the command has one, else leave at
 * once; once more after a second stage: leave at once.
 */
export function interruptOnSignals(notices: InterruptNotices): Interrupt {
  const first = new AbortController()
  const second = new AbortController()
  // Every host's work listens for the interrupt: 50 hosts are 50 listeners, not a leak.
  setMaxListeners(0, first.signal)
  setMaxListeners(0, second.signal)
  const say = (text: string, name: StopSignal) => {
    if (!process.stderr.destroyed) process.stderr.write(`\n${name === 'SIGINT' ? '' : `${name}: `}${text}\n`)
  }
  const onTerminal = [0, 1, 2].some((fd) => isatty(fd))
  const handler = (name: StopSignal) => {
    if (name === 'SIGHUP' && onTerminal) process.once('exit', dieOfHangup)
    if (!first.signal.aborted) {
      say(notices.first, name)
      first.abort(name)
    } else if (notices.second !== undefined && !second.signal.aborted) {
      say(notices.second, name)
      second.abort(name)
    } else process.exit(interruptedExitCode(first.signal))
  }
  for (const name of STOP_SIGNALS) process.on(name, handler)
  return {
    dispose: () => {
      for (const name of STOP_SIGNALS) process.off(name, handler)
    },
    force: second.signal,
    signal: first.signal,
  }
}

/**
 * After a hangup the terminal is gone, and Node's exit-time reset of a terminal's modes fails an assertion (Node 20:
 * "Assertion failed" in ResetStdio, a core dump). What is to be reported has been written: end by the signal itself,
 * which shells report as 129, as they would have had we not caught it.
 */
function dieOfHangup(): void {
  process.removeAllListeners('SIGHUP')
  process.kill(process.pid, 'SIGHUP')
}

/** The signal that interrupted the run, if one did. */
export function stopSignal(signal: AbortSignal): StopSignal | undefined {
  return signal.aborted ? (signal.reason as StopSignal) : undefined
}

/** 128 + the number of the signal that interrupted the run (130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP). */
export function interruptedExitCode(signal: AbortSignal): ExitCode {
  return exitCodeOnSignal(stopSignal(signal) ?? 'SIGINT')
}
