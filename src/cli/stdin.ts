import {text} from 'node:stream/consumers'

import {UsageError} from '../core/errors.js'

/** All of stdin as text; a terminal on stdin is a usage error (the command would wait forever). */
export async function readStdin(what: string, example: string): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError(`${what} reads from stdin, which is a terminal`, example)
  return text(process.stdin)
}
