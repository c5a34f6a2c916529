import type {ConvergeReport, HostReport, ResourceResult} from '../../engine/results.js'
import type {ConvergeRun} from '../../services/converge.js'
import type {Renderer} from '../renderer.js'

import {EXIT, exitCodeOnSignal} from '../../core/exit-codes.js'
import {color} from '../../output/color.js'
import {formatSeconds} from '../../output/run-report.js'
import {retryJson, retryText} from './retry.js'

const STATUS_COLOR: Record<ResourceResult['status'], (text: string) => string> = {
  changed: color.yellow,
  failed: color.red,
  ok: color.green,
  skipped: color.dim,
  warning: color.magenta,
  'would-change': color.yellow,
}

function colorDiff(diff: string): string {
  return diff
    .split('\n')
    .filter((line) => !line.startsWith('==='))
    .map((line) =>
      line.startsWith('+') && !line.startsWith('+++')
        ? color.green(line)
        : line.startsWith('-') && !line.startsWith('---')
          ? color.red(line)
          : line,
    )
    .join('\n')
}

/** A host's report without its name: what changed, failed or could not be done, and the diffs when asked. */
function hostBody(host: HostReport, showDiff: boolean): string {
  if (host.error) return `  ${host.unreachable ? color.magenta('UNREACHABLE') : color.red('FAILED')}: ${host.error}\n`
  const lines: string[] = []
  for (const resource of host.resources) {
    if (resource.status === 'ok') continue
    const detail = [resource.reasons?.join(', '), resource.message].filter(Boolean).join(': ')
    lines.push(
      `  ${STATUS_COLOR[resource.status](resource.status.padEnd(12))} ${resource.id}${detail ? color.dim(`  ${detail}`) : ''}`,
    )
    if (showDiff && resource.diff) lines.push(colorDiff(resource.diff).replace(/^/gm, '      ').trimEnd())
  }
  for (const warning of host.warnings) lines.push(`  ${color.magenta('warning'.padEnd(12))} ${warning}`)
  const unchanged = host.resources.filter((resource) => resource.status === 'ok').length
  lines.push(color.dim(`  ${unchanged} already as wanted`))
  return `${lines.join('\n')}\n`
}

/** Hosts with identical reports are folded (`lab1,lab2 (2)`), then the run's summary. */
function renderConverge(report: ConvergeReport, options: {diff: boolean}): string {
  const blocks = new Map<string, string[]>()
  for (const host of report.hosts) {
    const body = hostBody(host, options.diff)
    blocks.set(body, [...(blocks.get(body) ?? []), host.host])
  }
  let text = ''
  for (const warning of report.warnings) text += `${color.magenta('warning:')} ${warning}\n`
  for (const [body, hosts] of blocks) text += `${color.bold(hosts.join(','))} (${hosts.length})\n${body}`
  const {summary} = report
  const took = formatSeconds(summary.durationMs)
  if (summary.changed === 0 && summary.failed === 0 && summary.unreachable === 0) {
    text += color.green(`no changes: ${summary.hosts} host(s) already converged (${took})\n`)
  } else {
    const verb = summary.check ? 'would change' : 'changed'
    text += `${summary.hosts} host(s): ${summary.changed} ${verb}, ${summary.ok} unchanged, ${summary.failed} failed, ${summary.unreachable} unreachable (${took})\n`
  }
  return text
}

/**
 * The report on stdout (with each file's diff when `diff`), the retry hint on stderr. Exit 2 for pending changes
 * only with --check --detailed-exitcode.
 */
export function convergeRenderer(options: {detailedExitcode: boolean; diff: boolean}): Renderer<ConvergeRun> {
  return {
    exitCode: ({report, stoppedBy}) => {
      if (stoppedBy) return exitCodeOnSignal(stoppedBy)
      if (report.hosts.some((host) => !host.ok)) return EXIT.failed
      return report.summary.check && options.detailedExitcode && report.summary.changed > 0 ? EXIT.usage : EXIT.ok
    },
    json: ({report, retry}) => ({...report, ...retryJson(retry)}),
    text: ({report, retry}) => ({stderr: retryText(retry), stdout: renderConverge(report, {diff: options.diff})}),
  }
}
