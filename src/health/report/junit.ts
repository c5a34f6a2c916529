import type {CheckResult, HealthSummary} from '../model.js'

import {SUITE_NAMES} from '../suite-names.js'

/** XML 1.0 text: escaped, and without the control characters XML cannot carry. */
export function xmlText(value: string): string {
  return value
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

const seconds = (ms: number) => (ms / 1000).toFixed(3)

function testcase(result: CheckResult): string {
  const attributes = `classname="${xmlText(`goldentooth.${result.suite}.${result.host}`)}" name="${xmlText(`${result.host}: ${result.name}`)}" time="${seconds(result.durationMs)}"`
  if (result.status === 'pass') return `    <testcase ${attributes}/>\n`
  if (result.status === 'skip') {
    return `    <testcase ${attributes}>\n      <skipped message="${xmlText(result.observed)}"/>\n    </testcase>\n`
  }
  const body = [
    `expected: ${result.expected}`,
    `observed: ${result.observed}`,
    ...(result.hint ? [`hint: ${result.hint}`] : []),
  ]
  return `    <testcase ${attributes}>\n      <failure message="${xmlText(result.observed)}" type="${xmlText(result.name)}">${xmlText(body.join('\n'))}</failure>\n    </testcase>\n`
}

/** JUnit XML: one <testsuite> per suite, one <testcase> per check and host (`classname` goldentooth.SUITE.HOST). */
export function renderJunit(results: readonly CheckResult[], summary: HealthSummary, timestamp: Date): string {
  const suites = SUITE_NAMES.flatMap((suite) => {
    const cases = results.filter((result) => result.suite === suite)
    if (cases.length === 0) return []
    const failures = cases.filter((result) => result.status === 'fail').length
    const skipped = cases.filter((result) => result.status === 'skip').length
    const time = cases.reduce((sum, result) => sum + result.durationMs, 0)
    return [
      `  <testsuite name="${suite}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(time)}" timestamp="${timestamp.toISOString()}">\n${cases.map(testcase).join('')}  </testsuite>\n`,
    ]
  })
  const total = summary.passed + summary.failed + summary.skipped
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="goldentooth" tests="${total}" failures="${summary.failed}" errors="0" skipped="${summary.skipped}" time="${seconds(summary.durationMs)}">\n${suites.join('')}</testsuites>\n`
}
