import type {LabDownReport} from '../../lab/down.js'
import type {BootFailure, NodeStatus} from '../../lab/nodes.js'
import type {LabResetReport} from '../../lab/reset.js'
import type {LabStatusReport} from '../../lab/status.js'
import type {LabUpReport} from '../../lab/up.js'
import type {Renderer} from '../renderer.js'

import {EXIT} from '../../core/exit-codes.js'
import {LAB_NOT_RUNNING} from '../../lab/reset.js'
import {color} from '../../output/color.js'
import {errorText} from '../renderer.js'

function uptime(seconds: number | null): string {
  if (seconds === null) return '-'
  if (seconds < 120) return `${seconds}s`
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`
}

const STATE_COLOR = {running: color.green, stopped: color.yellow, 'failed-to-boot': color.red}

/** What lab up and lab reset are doing, on stderr as it happens. */
export function labProgress(line: string): void {
  process.stderr.write(`lab: ${line}\n`)
}

/** The per-node table of lab up, lab status and lab reset. */
function formatNodeTable(nodes: readonly NodeStatus[]): string {
  const header = ['NODE', 'ADDRESS', 'STATE', 'PID', 'UPTIME', 'SOCKET']
  const rows = nodes.map((node) => [
    node.name,
    node.address,
    node.state,
    node.pid === null ? '-' : String(node.pid),
    uptime(node.uptimeSeconds),
    node.socketPresent ? node.socket : '-',
  ])
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)))
  const line = (cells: string[], paint: (text: string) => string = (text) => text) =>
    cells
      .map((cell, column) => {
        const padded = column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)
        return column === 2 ? paint(padded) : padded
      })
      .join('  ')
      .trimEnd()
  return [
    color.bold(line(header)),
    ...rows.map((row, index) => line(row, STATE_COLOR[nodes[index]?.state ?? 'stopped'])),
  ].join('\n')
}

/** How many failed nodes' console lines are printed; the rest are named. */
const CONSOLES_SHOWN = 3

function failureLines(failed: readonly BootFailure[]): string[] {
  const shown = failed
    .slice(0, CONSOLES_SHOWN)
    .flatMap((failure) => [
      '',
      color.red(`${failure.name} did not boot: ${failure.reason}. Last console lines (${failure.consoleLog}):`),
      ...failure.console.map((line) => `  ${line}`),
    ])
  const rest = failed.slice(CONSOLES_SHOWN)
  if (rest.length === 0) return shown
  return [...shown, '', color.red(`${rest.map((failure) => failure.name).join(', ')} did not boot either.`)]
}

/** The table, what happened to the base and how long it took, and the console tail of each node that failed. */
function formatUpReport(report: LabUpReport): string {
  const base = report.rootfs.built ? `base built in ${report.rootfs.seconds.toFixed(0)} s (cold)` : 'base cached (warm)'
  const counts = [
    report.started.length ? `${report.started.length} started` : '',
    report.alreadyRunning.length ? `${report.alreadyRunning.length} already running` : '',
  ].filter(Boolean)
  const running = report.nodes.filter((node) => node.state === 'running').length
  return [
    formatNodeTable(report.nodes),
    '',
    `lab up: ${running} of ${report.nodes.length} nodes running (${counts.join(', ')}); ${base}; ${report.seconds.toFixed(1)} s`,
    `inventory:  ${report.inventory}`,
    `ssh config: ${report.sshConfig}   (ssh -F ${report.sshConfig} ${report.nodes[0]?.name ?? 'NODE'})`,
    ...failureLines(report.failed),
  ].join('\n')
}

/** Nodes that did not boot, as the error that names them; the report is shown before it. */
function bootFailure(failed: readonly BootFailure[]): string {
  if (failed.length === 0) return ''
  const names = failed.map((failure) => failure.name)
  const logs = failed.length === 1 ? failed[0]?.consoleLog : '/run/goldentooth/lab/nodes/NODE/console.log'
  return errorText({
    hint: `console log: ${logs}; retry with goldentooth lab up`,
    message: `${names.join(', ')} did not boot`,
  })
}

const bootExitCode = ({failed}: {failed: readonly BootFailure[]}) => (failed.length > 0 ? EXIT.failed : EXIT.ok)

export const labUpRenderer: Renderer<LabUpReport> = {
  exitCode: bootExitCode,
  text: (report) => ({stderr: bootFailure(report.failed), stdout: `${formatUpReport(report)}\n`}),
}

export const labResetRenderer: Renderer<LabResetReport> = {
  exitCode: bootExitCode,
  text: (report) => ({
    stderr: bootFailure(report.failed),
    stdout: [formatNodeTable([report.node]), ...failureLines(report.failed)].map((line) => `${line}\n`).join(''),
  }),
}

export const labStatusRenderer: Renderer<LabStatusReport> = {
  text: (report) => ({
    stderr: report.up ? '' : `${LAB_NOT_RUNNING}\n`,
    stdout: `${formatNodeTable(report.nodes)}\n`,
  }),
}

export const labDownRenderer: Renderer<LabDownReport> = {
  text: (report) => {
    const what = report.stopped.length ? `stopped ${report.stopped.join(', ')}` : 'the lab was not running'
    return {stderr: `lab down: ${what} (${report.seconds.toFixed(1)} s)\n`}
  },
}

/** ssh had the terminal; its exit code is the command's. */
export const labSshRenderer: Renderer<{sshExitCode: number}> = {
  exitCode: (report) => report.sshExitCode,
  text: () => ({}),
}
