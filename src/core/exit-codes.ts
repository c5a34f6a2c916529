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

export const EXIT_CODES_HELP = `EXIT CODES
  0    every host succeeded
  1    a host failed or was unreachable (failed hosts are written to a retry file for --limit @FILE)
  2    usage error (bad flag, bad pattern, no targets)
  3    inventory or template invalid
  130  interrupted by Ctrl-C (what finished is reported)
  143  terminated by SIGTERM (129: SIGHUP), reported like Ctrl-C`
