import {execa} from 'execa'

import {RunError} from '../core/errors.js'

/** Run a command to completion; a failure becomes a RunError naming the command and its last line of output. */
export async function run(file: string, args: readonly string[]): Promise<string> {
  const result = await execa(file, args, {reject: false, stdin: 'ignore'})
  if (result.failed) {
    const output = `${result.stderr ?? ''}\n${result.stdout ?? ''}`.trim() || result.shortMessage || 'failed'
    throw new RunError(`${[file, ...args].join(' ')} failed: ${lastLine(output)}`)
  }
  return result.stdout
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)?.trim() ?? ''
}
