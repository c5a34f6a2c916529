import type {CheckResult} from '../model.js'

/** A Prometheus label value: backslash, double quote and newline escaped. */
export function labelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

const labels = (result: CheckResult) =>
  `{host="${labelValue(result.host)}",suite="${labelValue(result.suite)}",check="${labelValue(result.name)}"}`

function family(name: string, help: string, samples: readonly string[]): string {
  if (samples.length === 0) return ''
  return `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${samples.join('')}`
}

/**
 * node_exporter textfile format: check success (skipped checks are absent) and duration, certificate expiry in seconds,
 * all labelled by host (`cluster` for cluster checks), suite and check; and when the run finished.
 */
export function renderPrometheus(results: readonly CheckResult[], finished: Date): string {
  const ran = results.filter((result) => result.status !== 'skip')
  const certificates = results.filter((result) => result.certificateExpirySeconds !== undefined)
  return [
    family(
      'goldentooth_check_success',
      'Whether the health check passed (1) or failed (0); skipped checks are absent.',
      ran.map((result) => `goldentooth_check_success${labels(result)} ${result.status === 'pass' ? 1 : 0}\n`),
    ),
    family(
      'goldentooth_check_duration_seconds',
      'How long the probe behind the health check ran on its host.',
      ran.map(
        (result) => `goldentooth_check_duration_seconds${labels(result)} ${(result.durationMs / 1000).toFixed(3)}\n`,
      ),
    ),
    family(
      'goldentooth_certificate_expiry_seconds',
      'Seconds until the certificate the check looked at expires (negative once expired).',
      certificates.map(
        (result) => `goldentooth_certificate_expiry_seconds${labels(result)} ${result.certificateExpirySeconds}\n`,
      ),
    ),
    family(
      'goldentooth_health_last_run_timestamp_seconds',
      'When goldentooth test finished, in seconds since the epoch.',
      [`goldentooth_health_last_run_timestamp_seconds ${(finished.getTime() / 1000).toFixed(3)}\n`],
    ),
  ].join('')
}
