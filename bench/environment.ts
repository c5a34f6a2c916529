import {execa} from 'execa'
import {readFile} from 'node:fs/promises'
import os from 'node:os'

import type {Cli} from './cli.js'

export interface Machine {
  cores: number
  cpuModel: string
  debian: string
  kernel: string
  /** 1, 5 and 15-minute load averages when the bench started. */
  loadAtStart: number[]
  memoryGiB: number
}

export type ToolVersions = Record<string, string>

export async function describeMachine(): Promise<Machine> {
  const debian = await readFile('/etc/debian_version', 'utf8').catch(() => 'unknown')
  const release = await readFile('/etc/os-release', 'utf8').catch(() => '')
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(release)?.[1] ?? 'unknown'
  return {
    cores: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    debian: `${pretty} (${debian.trim()})`,
    kernel: `${os.type()} ${os.release()}`,
    loadAtStart: os.loadavg().map((load) => Math.round(load * 100) / 100),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  }
}

/** First line of a version command's output (stdout, else stderr: `ssh -V` writes there). */
async function versionOf(command: string): Promise<string> {
  const result = await execa('bash', ['-c', command], {reject: false})
  return (String(result.stdout).trim() || String(result.stderr).trim()).split('\n')[0] ?? 'unknown'
}

export async function toolVersions(cli: Cli): Promise<ToolVersions> {
  return {
    node: process.version,
    goldentooth: await versionOf(`${cli.command} --version`),
    'ansible-core': await versionOf('ansible --version'),
    'GNU parallel': await versionOf('parallel --version'),
    'pssh (parallel-ssh)': await versionOf('parallel-ssh --version'),
    hyperfine: await versionOf('hyperfine --version'),
    OpenSSH: await versionOf('ssh -V'),
  }
}

/** The 1-minute load average now, to show what else the machine was doing while a workload ran. */
export const loadNow = () => Math.round(os.loadavg()[0]! * 100) / 100
