import type {StopSignal} from '../core/exit-codes.js'
import type {ConvergeOptions} from '../engine/converge.js'
import type {ConvergeReport} from '../engine/results.js'
import type {Role} from '../engine/role.js'
import type {InventorySource} from '../inventory/open.js'

import {stateDirFor} from '../core/state-dir.js'
import {withHostFacts} from '../engine/ansible-facts.js'
import {convergeRole, refuseFindings, sequenceTargets} from '../engine/converge.js'
import {mergeReports} from '../engine/results.js'
import {SecretStore} from '../engine/secrets.js'
import {interruptOnSignals, stopSignal} from '../fanout/interrupt.js'
import {recordRetry, type RetryRecord} from '../fanout/retry-file.js'
import {openInventory} from '../inventory/open.js'
import {withStateLock} from '../state/lock.js'

export interface ConvergeRunOptions extends ConvergeOptions, InventorySource {
  /** Further narrows the roles' hosts, like ansible --limit. */
  limit?: string | undefined
}

/** Every role's report merged, where the failed hosts were recorded, and the signal that stopped the run. */
export interface ConvergeRun {
  report: ConvergeReport
  retry: RetryRecord | undefined
  stoppedBy: StopSignal | undefined
}

/**
 * Converge a role (or a sequence of roles, one after another: a CA before its clients) on its hosts. A role in a
 * sequence starts only when the ones before it succeeded everywhere.
 */
export async function converge(
  roles: readonly Role[],
  pattern: string | undefined,
  options: ConvergeRunOptions,
): Promise<ConvergeRun> {
  const started = performance.now()
  const inventory = withHostFacts(await openInventory(options))
  const reports: ConvergeReport[] = []
  const sequence = sequenceTargets(inventory, roles, pattern, options.limit)
  const warnings = new Map(
    sequence.map(([role, targets]) => [role, refuseFindings(role, role.check?.({hosts: targets, inventory}) ?? [])]),
  )
  const stateDir = stateDirFor(options.inventory)
  const secrets = new SecretStore(`${stateDir}/secrets`, !options.check)
  for (const [role] of sequence) for (const spec of role.secrets ?? []) secrets.ensure(spec)
  const run = async () => {
    const interrupt = interruptOnSignals({
      first: 'interrupting: no new hosts or roles start; running applies finish (Ctrl-C again to stop them)',
      second: 'stopping the running applies (Ctrl-C again to quit now)',
    })
    try {
      for (const [role, targets] of sequence) {
        if (interrupt.signal.aborted) break
        const report = await convergeRole(role, inventory, targets, options, interrupt, secrets)
        reports.push({...report, warnings: [...(warnings.get(role) ?? []), ...report.warnings]})
        if (report.hosts.some((host) => !host.ok)) break
      }
    } finally {
      interrupt.dispose()
    }
    return interrupt.signal
  }
  const description = sequence.map(([role]) => role.name).join(', ')
  const interrupted = options.check ? await run() : await withStateLock(stateDir, description, run)
  const report = mergeReports(reports, Math.round(performance.now() - started), options.check)
  const failed = report.hosts.filter((host) => !host.ok).map((host) => host.host)
  return {report, retry: await recordRetry(stateDir, failed), stoppedBy: stopSignal(interrupted)}
}
