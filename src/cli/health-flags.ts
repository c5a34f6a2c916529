import {Flags, type Interfaces} from '@oclif/core'

import type {HealthOptions} from '../services/health-run.js'

import {connectionFlags, connectionOptions} from './fanout-flags.js'
import {PATTERN_HELP} from './help-text.js'

/** Flags of `goldentooth test`. Light: imported at start-up by the command modules. */
export const healthFlags = {
  ...connectionFlags,
  junit: Flags.string({helpGroup: 'OUTPUT', summary: 'Also write a JUnit XML report to FILE.'}),
  prometheus: Flags.string({
    helpGroup: 'OUTPUT',
    summary: 'Also write FILE in node_exporter textfile format (written whole, then renamed into place).',
  }),
  'retry-timeout': Flags.integer({
    default: 0,
    min: 0,
    summary: 'Seconds to keep retrying failing checks (a service still starting), besides the retries checks declare.',
  }),
  timeout: Flags.integer({
    default: 0,
    helpGroup: 'CONNECTION',
    min: 0,
    summary: "Seconds one host's checks may take (0: worked out from the checks' own timeouts and retries).",
  }),
  verbose: Flags.boolean({char: 'v', summary: 'Show every check with what it expected and saw, not only failures.'}),
}

/** The health flags as the service takes them (-v is for the output). */
export function healthOptions(flags: Interfaces.InferredFlags<typeof healthFlags>): HealthOptions {
  return {
    ...connectionOptions(flags),
    junit: flags.junit,
    prometheus: flags.prometheus,
    retryTimeout: flags['retry-timeout'],
    timeout: flags.timeout,
  }
}

export const HEALTH_HELP = `Each host runs only the checks its inventory groups give it (a host outside a service's groups is neither a pass
nor a failure), all of them in one script per host over one SSH round trip, then cluster-level checks are evaluated
from what the hosts reported. Durations are measured on the host. Certificates report seconds left and, separately,
whether they sit in their renewal window. The clock offset is measured against this machine's clock, half the
round trip being the uncertainty. Thresholds come from the inventory (health_cpu_percent_max, health_disk_percent_max,
…; see goldentooth test list); health_skip_suites names suites whose services a host does not run.

${PATTERN_HELP}

OUTPUT
  A table grouped by suite, hosts with equal results folded (failures with expected, observed and a hint), then
  "N passed, N failed, N skipped (T s)" on stderr; -v shows every check. --json prints {"checks":[{"host","scope",
  "suite","name","status","expected","observed","hint","durationMs","attempts","certificateExpirySeconds"}],
  "summary":{"passed","failed","skipped","durationMs"}}. --junit FILE and --prometheus FILE write those formats too.

EXIT CODES
  0    every check that ran passed (skipped checks do not count)
  1    a check failed or a host was unreachable (failing hosts go to a retry file for --limit @FILE)
  2    usage error (unknown suite, bad flag or pattern, no selected host runs the suites)
  3    inventory invalid (including the health_* variables)
  130  interrupted by Ctrl-C
  143  terminated by SIGTERM (129: SIGHUP)`
