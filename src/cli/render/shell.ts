import type {RunReport} from '../../services/run.js'
import type {ShellReport} from '../../services/shell.js'

import {EXIT} from '../../core/exit-codes.js'
import {type Renderer, writeText} from '../renderer.js'
import {runExitCode} from './run.js'

/** Each line typed at the broadcast prompt, shown as soon as every host has run it. */
export function broadcastLine(renderer: Renderer<RunReport>): (report: RunReport) => void {
  return (report) => writeText(renderer.text(report))
}

/** Everything was shown as it happened. ssh's exit code; after a broadcast, that of the last line that failed. */
export const shellRenderer: Renderer<ShellReport> = {
  exitCode: (report) =>
    'sshExitCode' in report
      ? (report.sshExitCode ?? EXIT.failed)
      : report.lines.map(runExitCode).reduce<number>((last, code) => (code === EXIT.ok ? last : code), EXIT.ok),
  text: () => ({}),
}
