import {createInterface} from 'node:readline/promises'

import {color} from '../output/color.js'
import {sshCommandArgs} from '../transport/targets.js'
import {type RunOptions, type RunReport, runInScope} from './run.js'
import {loadTargets, type Targets, withTargets} from './scope.js'

export interface ShellOptions extends RunOptions {
  /** Each broadcast line's report, as soon as every host has run it. */
  onLine: (report: RunReport) => void
}

/** One host: what the system ssh exited with. Several: how each line typed at the broadcast prompt went. */
export type ShellReport = {lines: Array<Pick<RunReport, 'stoppedBy' | 'summary'>>} | {sshExitCode: number | undefined}

/** One host: the system ssh with a terminal, so the operator's ~/.ssh/config, agent and escape keys all work. */
async function interactive({hosts: [host], inventory}: Targets, options: ShellOptions): Promise<ShellReport> {
  const {execa} = await import('execa')
  const args = await sshCommandArgs(inventory, host!, options.sshConfig ? {sshConfigFile: options.sshConfig} : {})
  const insecure = options.insecureAcceptHostKeys
    ? ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null']
    : []
  const child = await execa('ssh', ['-t', ...insecure, ...args], {reject: false, stdio: 'inherit'})
  return {sshExitCode: child.exitCode}
}

/** Several hosts: a prompt whose every line runs on all of them. */
async function broadcast(pattern: string, targets: Targets, options: ShellOptions): Promise<ShellReport> {
  return withTargets(targets, options, async (scope) => {
    const {hosts} = scope.session
    process.stderr.write(
      `${color.red.bold('WARNING: broadcast mode:')} every line runs on all ${hosts.length} hosts: ${hosts.join(',')}\n` +
        `type exit or press Ctrl-D to leave\n`,
    )
    const terminal = Boolean(process.stdin.isTTY)
    const prompt = createInterface({input: process.stdin, output: process.stderr, terminal})
    prompt.setPrompt(terminal ? `[${pattern}:${hosts.length}]$ ` : '')
    const lines: Array<Pick<RunReport, 'stoppedBy' | 'summary'>> = []
    prompt.prompt()
    for await (const raw of prompt) {
      const line = raw.trim()
      if (line === 'exit') break
      if (line !== '') {
        const report = await runInScope(scope, () => line, options)
        options.onLine(report)
        lines.push({stoppedBy: report.stoppedBy, summary: report.summary})
        if (scope.session.signal.aborted) break
      }
      prompt.prompt()
    }
    prompt.close()
    return {lines}
  })
}

/** shell PATTERN: an interactive session on one host, or a broadcast prompt to several. */
export async function shell(pattern: string, options: ShellOptions): Promise<ShellReport> {
  const targets = await loadTargets(pattern, options)
  return targets.hosts.length === 1 ? interactive(targets, options) : broadcast(pattern, targets, options)
}
