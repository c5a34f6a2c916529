import {execa} from 'execa'
import path from 'node:path'

export const ROOT = path.resolve(import.meta.dirname, '..', '..')
export const CLI = path.join(ROOT, 'bin', 'run.js')

export interface CliResult {
  exitCode: number
  stderr: string
  stdout: string
}

/** Run the built CLI (`npm test` builds dist/ first) as an operator would. */
export async function runCli(
  args: string[],
  options: {env?: Record<string, string>; input?: string} = {},
): Promise<CliResult> {
  const result = await execa(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: {NO_COLOR: '1', ...options.env},
    input: options.input ?? '',
    reject: false,
    stripFinalNewline: false,
  })
  return {exitCode: result.exitCode ?? -1, stderr: String(result.stderr), stdout: String(result.stdout)}
}

/** Start the CLI without waiting, for tests that signal it. */
export function spawnCli(args: string[], env: Record<string, string> = {}) {
  return execa(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: {NO_COLOR: '1', ...env},
    reject: false,
    stripFinalNewline: false,
  })
}
