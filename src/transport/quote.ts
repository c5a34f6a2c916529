import {parse, quote} from 'shell-quote'

/** Quote one argument for a POSIX shell. */
export function shq(arg: string): string {
  return quote([arg])
}

/** Quote each argument and join them: the remote shell sees exactly this argv. */
export function shJoin(args: readonly string[]): string {
  return quote([...args])
}

/** Split a command line the way Ansible splits ansible_ssh_common_args (shlex), leaving $VARS untouched. */
export function shSplit(line: string): string[] {
  return parse(line, (name) => `$${name}`).map((token) =>
    typeof token === 'string' ? token : String(Object.values(token)[0]),
  )
}
