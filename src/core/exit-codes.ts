/** Process exit codes, documented in the README and in every command's --help. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  invalid: 3,
  hangup: 129,
  interrupted: 130,
  terminated: 143,
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/** The signals that stop a run: Ctrl-C, kill, a terminal that hung up. */
export type StopSignal = 'SIGHUP' | 'SIGINT' | 'SIGTERM'

const EXIT_ON: Record<StopSignal, ExitCode> = {SIGHUP: EXIT.hangup, SIGINT: EXIT.interrupted, SIGTERM: EXIT.terminated}

/** 128 + the number of the signal that stopped a run (130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP). */
export function exitCodeOnSignal(signal: StopSignal): ExitCode {
  return EXIT_ON[signal]
}

export const EXIT_CODES_HELP = `EXIT CODES
  0    every host succeeded
  1    a host failed or was unreachable (failed hosts are written to a retry file for --limit @FILE)
  2    usage error (bad flag, bad pattern, no targets)
  3    inventory or template invalid
  130  interrupted by Ctrl-C (what finished is reported)
  143  terminated by SIGTERM (129: SIGHUP), reported like Ctrl-C`
