import type {UnsealReport, VaultInitReport} from '../../services/vault.js'
import type {Renderer} from '../renderer.js'

import {EXIT, exitCodeOnSignal} from '../../core/exit-codes.js'

export const vaultInitRenderer: Renderer<VaultInitReport> = {
  text: (report) => ({
    stdout:
      `Vault on ${report.host} initialised: ${report.shares} ${report.keyType} keys (threshold ${report.threshold}) ` +
      `and the root token are in ${report.secretFile}\n`,
  }),
}

/** One line per host: unsealed, already-unsealed or failed (why); exit 1 when one failed. */
export const unsealRenderer: Renderer<UnsealReport> = {
  exitCode: ({hosts, stoppedBy}) => {
    if (stoppedBy) return exitCodeOnSignal(stoppedBy)
    return hosts.some((host) => host.status === 'failed') ? EXIT.failed : EXIT.ok
  },
  json: ({hosts}) => ({hosts}),
  text: ({hosts}) => ({
    stdout: hosts.map((host) => `${host.host}: ${host.status}${host.error ? `: ${host.error}` : ''}\n`).join(''),
  }),
}
