import type {CheckResult, HealthSummary} from '../model.js'

import {color} from '../../output/color.js'
import {formatSeconds} from '../../output/run-report.js'

interface Row {
  suite: string
  name: string
  status: CheckResult['status']
  hosts: string[]
  /** Shown under the row: what was expected, seen, and what to do (failures always; everything with -v). */
  detail?: Pick<CheckResult, 'expected' | 'hint' | 'observed'>
  /** Shown on the row: why a check was skipped. */
  note?: string
}

/** Rows of equal results with their hosts folded; passes fold by check alone unless verbose (their numbers differ). */
export function foldResults(results: readonly CheckResult[], verbose: boolean): Row[] {
  const rows = new Map<string, Row>()
  for (const result of results) {
    const detailed = verbose || result.status === 'fail'
    const key = JSON.stringify([
      result.suite,
      result.name,
      result.status,
      ...(detailed || result.status === 'skip' ? [result.observed, result.expected, result.hint] : []),
    ])
    const row = rows.get(key)
    if (row) {
      row.hosts.push(result.host)
      continue
    }
    rows.set(key, {
      hosts: [result.host],
      name: result.name,
      status: result.status,
      suite: result.suite,
      ...(detailed
        ? {detail: {expected: result.expected, observed: result.observed, ...(result.hint ? {hint: result.hint} : {})}}
        : {}),
      ...(result.status === 'skip' && !detailed ? {note: result.observed} : {}),
    })
  }
  return [...rows.values()]
}

const LABEL = {fail: 'FAIL', pass: 'pass', skip: 'skip'} as const

function paint(status: CheckResult['status'], text: string): string {
  return status === 'fail' ? color.red.bold(text) : status === 'pass' ? color.green(text) : color.yellow(text)
}

/** The table: suite, check, result, hosts (folded), with the expected/observed/hint of every failure underneath. */
export function renderTable(results: readonly CheckResult[], verbose: boolean): string {
  const rows = foldResults(results, verbose)
  if (rows.length === 0) return ''
  const suiteWidth = Math.max(5, ...rows.map((row) => row.suite.length))
  const nameWidth = Math.max(5, ...rows.map((row) => row.name.length))
  const indent = ' '.repeat(suiteWidth + 2)
  const header = `${'SUITE'.padEnd(suiteWidth)}  ${'CHECK'.padEnd(nameWidth)}  RESULT  HOSTS\n`
  const lines = rows.map((row) => {
    const hosts = `${row.hosts.join(',')} (${row.hosts.length})`
    let text = `${row.suite.padEnd(suiteWidth)}  ${row.name.padEnd(nameWidth)}  ${paint(row.status, LABEL[row.status].padEnd(6))}  ${hosts}`
    if (row.note) text += color.dim(`  ${row.note}`)
    text += '\n'
    if (row.detail) {
      text += `${indent}${color.dim('expected')}  ${row.detail.expected}\n`
      text += `${indent}${color.dim('observed')}  ${row.status === 'fail' ? color.red(row.detail.observed) : row.detail.observed}\n`
      if (row.detail.hint) text += `${indent}${color.dim('hint')}      ${row.detail.hint}\n`
    }
    return text
  })
  return color.bold(header) + lines.join('')
}

/** `N passed, N failed, N skipped (T s)` */
export function renderHealthSummary(summary: HealthSummary): string {
  const failed = `${summary.failed} failed`
  return `${color.green(`${summary.passed} passed`)}, ${summary.failed ? color.red(failed) : failed}, ${summary.skipped} skipped (${formatSeconds(summary.durationMs)})\n`
}
