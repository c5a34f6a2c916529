/** Helpers for the lab tests (test/lab/): the CLI as operators run it, the system ssh, and the lab's recorded state. */
import {execa} from 'execa'

import {LAB_SSH_CONFIG} from '../../src/lab/paths.js'
import {type CliResult, ROOT as REPO, runCli} from './cli.js'

export {REPO, runCli}

export const LAB_NODE_NAMES = ['lab1', 'lab2', 'lab3', 'lab4', 'lab5']

/** Run a command on a node with the system ssh and the ssh_config lab up wrote. */
export async function ssh(node: string, command: string): Promise<CliResult> {
  const result = await execa('ssh', ['-F', LAB_SSH_CONFIG, '-o', 'BatchMode=yes', node, command], {
    reject: false,
    stdin: 'ignore',
  })
  return {exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr}
}

/** Bring the lab up (a no-op when it runs) and return lab up's JSON report. */
export async function ensureLabUp(): Promise<{nodes: Array<{name: string; pid: number | null; state: string}>}> {
  const up = await runCli(['lab', 'up', '--json'])
  if (up.exitCode !== 0) throw new Error(`lab up failed (exit ${up.exitCode}): ${up.stdout}\n${up.stderr}`)
  return JSON.parse(up.stdout) as {nodes: Array<{name: string; pid: number | null; state: string}>}
}
