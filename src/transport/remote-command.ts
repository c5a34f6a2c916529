import type {SshTarget} from './types.js'

import {shJoin, shq} from './quote.js'

/**
 * One argument is a shell command line, run as written (pipes, $VARS and all); several arguments are an argv, each
 * quoted so the remote side sees exactly these words.
 */
export function commandLine(argv: readonly string[]): string {
  return argv.length === 1 ? argv[0]! : shJoin(argv)
}

/** Run as root: directly when the login user is root, otherwise through `sudo -n` (fails fast instead of prompting). */
export function asRoot(target: SshTarget, command: string): string {
  return target.user === 'root' ? command : `sudo -n -- sh -c ${shq(command)}`
}

/** The interpreter a script asks for on its #! line, or bash (sh where bash is missing). */
function interpreterFor(script: string): string {
  const shebang = /^#!\s*(\S+)(?:[ \t]+(.*?))?\s*$/m.exec(script.split('\n', 1)[0] ?? '')
  if (shebang) return shJoin([shebang[1]!, ...(shebang[2] ? [shebang[2]] : [])])
  return 'if command -v bash >/dev/null 2>&1; then bash "$t"; else sh "$t"; fi'
}

/**
 * Upload a script through stdin into a private temporary file and run it as one program, so state such as `cd`
 * persists from line to line; the file is removed whatever happens. The script never appears in a process list.
 */
export function scriptCommand(script: string): string {
  const interpreter = interpreterFor(script)
  const run = interpreter.startsWith('if ') ? interpreter : `${interpreter} "$t"`
  return `t=$(mktemp) || exit 125; trap 'rm -f "$t"' EXIT; cat >"$t" && chmod 700 "$t" && ${run}`
}

/** pipe: one command per line, blank lines and # comments skipped. */
export function commandsFromLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
}
