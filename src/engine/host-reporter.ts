import type {Progress} from './progress.js'
import type {ConvergeReport, HostReport, ResourceResult} from './results.js'

import {failedHostReport, hostReport, summarizeConverge} from './results.js'

/** Makes a role run's reports, each host's shown on the progress display as it is made. */
export interface HostReporter {
  failed(host: string, error: string, unreachable?: boolean): HostReport
  finished(host: string, resources: ResourceResult[], warnings: string[]): HostReport
  /** The role's report: targets in order, those not reported by then failed as `notRun`. */
  report(
    targets: readonly string[],
    reports: ReadonlyMap<string, HostReport>,
    notRun: string,
    warnings: string[],
  ): ConvergeReport
  update(host: string, text: string): void
}

/** Durations are counted from `started`, when the role's run began. */
export function hostReporter(progress: Progress, check: boolean, started = performance.now()): HostReporter {
  const elapsed = () => Math.round(performance.now() - started)
  const failed = (host: string, error: string, unreachable = false) => {
    const report = failedHostReport(host, error, unreachable, elapsed())
    progress.done(host, `${unreachable ? 'unreachable' : 'failed'}: ${error}`, false)
    return report
  }
  return {
    failed,
    finished(host, resources, warnings) {
      const report = hostReport(host, resources, warnings, elapsed())
      const text =
        report.failed > 0
          ? `${report.failed} failed`
          : report.changed > 0
            ? `${report.changed} ${check ? 'to change' : 'changed'}`
            : 'no changes'
      progress.done(host, text, report.ok)
      return report
    },
    report(targets, reports, notRun, warnings) {
      const hosts = targets.map((host) => reports.get(host) ?? failed(host, notRun))
      return {hosts, summary: summarizeConverge(hosts, elapsed(), check), warnings}
    },
    update: (host, text) => progress.update(host, text),
  }
}
