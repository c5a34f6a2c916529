import type {CheckResult, HealthSummary} from '../model.js'

export function summarize(results: readonly CheckResult[], durationMs: number): HealthSummary {
  const summary: HealthSummary = {durationMs, failed: 0, passed: 0, skipped: 0}
  for (const result of results) {
    if (result.status === 'pass') summary.passed++
    else if (result.status === 'fail') summary.failed++
    else summary.skipped++
  }
  return summary
}

/** Hosts with at least one failed check (for the retry file). */
export function failedHosts(results: readonly CheckResult[]): string[] {
  return [...new Set(results.filter((r) => r.status === 'fail' && r.scope === 'host').map((r) => r.host))]
}
