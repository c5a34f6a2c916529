import type {StopSignal} from '../core/exit-codes.js'
import type {Inventory} from '../inventory/model.js'
import type {ConnectionOptions} from './scope.js'

import {stopSignal} from '../fanout/interrupt.js'
import {withSession} from '../fanout/with-session.js'
import {openInventory} from '../inventory/open.js'
import {selectHosts} from '../patterns/select.js'
import {CERT_PATHS} from '../roles/shared/pki/cert-tool.js'
import {shJoin} from '../transport/quote.js'
import {asRoot} from '../transport/remote-command.js'

export interface RotateOptions extends ConnectionOptions {
  /** Each host's outcome as soon as it is known: one line. */
  onHost: (host: string, line: string) => void
  /** Seconds one host may take (0: no limit). */
  timeout: number
}

export interface RotateResult {
  host: string
  message: string
  status: 'failed' | 'not-run' | 'rotated' | 'skipped' | 'unreachable'
}

export interface RotateReport {
  results: RotateResult[]
  service: string
  stoppedBy: StopSignal | undefined
}

/** goldentooth-cert's "no such certificate here" exit status. */
const NO_CERTIFICATE = 66

function hostsOf(inventory: Inventory, pattern: string, limit: string | undefined): string[] {
  return selectHosts(inventory, pattern, limit ? {limit} : {}).hosts
}

/**
 * Re-issue SERVICE's certificate and restart (or reload) the service, one host at a time, stopping at the first
 * host that fails so a bad certificate never reaches every server at once. Hosts without that certificate are
 * skipped.
 */
export async function rotateCertificates(
  service: string,
  pattern: string | undefined,
  options: RotateOptions,
): Promise<RotateReport> {
  const inventory = await openInventory(options)
  const hosts = hostsOf(inventory, pattern ?? 'all', options.limit)
  const results: RotateResult[] = []
  const record = (result: RotateResult, line = `${result.status}: ${result.message}`) => {
    results.push(result)
    options.onHost(result.host, line)
  }
  const notRun = (host: string, message: string) => record({host, message, status: 'not-run'}, message)
  const notices = {first: 'interrupting after this host (Ctrl-C again to quit now)'}
  const stoppedBy = await withSession(inventory, hosts, options, notices, async (session, interrupt) => {
    for (const host of hosts) {
      if (interrupt.signal.aborted) {
        notRun(host, 'not run: interrupted')
        continue
      }
      if (results.some((r) => r.status === 'failed' || r.status === 'unreachable')) {
        notRun(host, 'not run: an earlier host failed')
        continue
      }
      let connection
      try {
        connection = await session.connection(host)
      } catch (error) {
        if (interrupt.signal.aborted) notRun(host, 'not run: interrupted')
        else record({host, message: (error as Error).message, status: 'unreachable'})
        continue
      }
      const run = await connection.exec(asRoot(connection.target, shJoin([CERT_PATHS.tool, 'rotate', service])), {
        ...(options.timeout > 0 ? {timeoutMs: options.timeout * 1000} : {}),
      })
      const output = `${run.stdout}\n${run.stderr}`.trim().split('\n').filter(Boolean)
      const status =
        run.exitCode === 0 ? 'rotated' : run.exitCode === NO_CERTIFICATE || run.exitCode === 127 ? 'skipped' : 'failed'
      record({host, message: output.slice(-3).join(' / '), status}, [status, ...output.slice(-1)].join(': '))
    }
    return stopSignal(interrupt.signal)
  })
  return {results, service, stoppedBy}
}
