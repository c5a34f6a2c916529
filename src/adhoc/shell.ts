import {createInterface} from 'node:readline/promises'

import type {RunFlagValues} from './run.js'

import {EXIT} from '../core/exit-codes.js'
import {color} from '../output/color.js'
import {sshCommandArgs} from '../transport/targets.js'
import {runInScope} from './run.js'
import {loadTargets, type Targets, withTargets} from './scope.js'

/** One host: the system ssh with a terminal, so the operator's ~/.ssh/config, agent and escape keys all work. */
async function interactive({hosts: [host], inventory}: Targets, flags: RunFlagValues): Promise<number> {
  const {execa} = await import('execa')
  const args = await sshCommandArgs(inventory, host!, flags['ssh-config'] ? {sshConfigFile: flags['ssh-config']} : {})
  const insecure = flags['insecure-accept-host-keys']
    ? ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null']
    : []
  const child = await execa('ssh', ['-t', ...insecure, ...args], {reject: false, stdio: 'inherit'})
  return child.exitCode ?? EXIT.failed
}

/** Several hosts: a prompt whose every line runs on all of them, folded like `command`. */
async function broadcast(pattern: string, targets: Targets, flags: RunFlagValues): Promise<number> {
  return withTargets(targets, flags, async (scope) => {
    const {hosts} = scope.session
    process.stderr.write(
      `${color.red.bold('WARNING: broadcast mode:')} every line runs on all ${hosts.length} hosts: ${hosts.join(',')}\n` +
        `type exit or press Ctrl-D to leave\n`,
    )
    const terminal = Boolean(process.stdin.isTTY)
    const prompt = createInterface({input: process.stdin, output: process.stderr, terminal})
    prompt.setPrompt(terminal ? `[${pattern}:${hosts.length}]$ ` : '')
    let exitCode: number = EXIT.ok
    prompt.prompt()
    for await (const raw of prompt) {
      const line = raw.trim()
      if (line === 'exit') break
      if (line !== '') {
        const reported = await runInScope(scope, () => line, {...flags, json: false})
        if (reported.exitCode !== EXIT.ok) exitCode = reported.exitCode
        if (scope.session.signal.aborted) break
      }
      prompt.prompt()
    }
    prompt.close()
    return exitCode
  })
}

/** shell PATTERN: an interactive session on one host, or a broadcast prompt to several. */
export async function shell(pattern: string, flags: RunFlagValues): Promise<number> {
  const targets = await loadTargets(pattern, flags)
  return targets.hosts.length === 1 ? interactive(targets, flags) : broadcast(pattern, targets, flags)
}
