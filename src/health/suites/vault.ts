import type {ClusterCheck, HostCheck, HostContext, ProbeResult, Suite} from '../model.js'

import {VAULT_PORTS, vaultSettings} from '../../roles/vault/settings.js'
import {httpOutcome, httpProbe, jsonBody} from '../http.js'
import {portsCheck} from '../ports.js'
import {unitCheck} from '../units.js'
import {fail, pass} from '../verdict.js'

/** `GET /v1/sys/health` (the fields `vault status -format=json` shares). */
export interface VaultHealth {
  initialized?: boolean
  sealed?: boolean
  standby?: boolean
  performance_standby?: boolean
  version?: string
  cluster_name?: string
}

export type VaultState =
  {problem: string} | {health: VaultHealth; role: 'active' | 'sealed' | 'standby' | 'uninitialized'; status: number}

/** What one server said: 200 active, 429 standby, 473 performance standby, 501 not initialized, 503 sealed. */
export function vaultState(result: ProbeResult | undefined): VaultState {
  const outcome = httpOutcome(result)
  if (!outcome.ok) return {problem: outcome.problem}
  const health = jsonBody<VaultHealth>(outcome.body)
  if (!health || typeof health.sealed !== 'boolean') {
    return {problem: `${outcome.status} ${outcome.body.trim().slice(0, 200) || '(no body)'}`}
  }
  const role = !health.initialized ? 'uninitialized' : health.sealed ? 'sealed' : health.standby ? 'standby' : 'active'
  return {health, role, status: outcome.status}
}

const healthUrl = (context: HostContext) => `https://${context.address}:${VAULT_PORTS.api}/v1/sys/health`

function healthProbe(context: HostContext) {
  const settings = vaultSettings(context.inventory, context.vars)
  return httpProbe({
    caFile: settings.caFile,
    certFile: settings.certPath,
    healthy: [200, 429, 473],
    keyFile: settings.keyPath,
    retrySeconds: 5,
    url: healthUrl(context),
  })
}

const unsealed: HostCheck = {
  evaluate: ({context, result}) => {
    const expected = `/v1/sys/health on :${VAULT_PORTS.api} (mTLS): initialized and unsealed`
    const state = vaultState(result)
    if ('problem' in state) return [fail('unsealed', expected, state.problem, 'journalctl -u vault -n 50')]
    const observed = `${state.status} ${state.role}${state.health.version ? ` (Vault ${state.health.version})` : ''}`
    if (state.role === 'sealed') {
      return [
        fail(
          'unsealed',
          expected,
          observed,
          `the AWS KMS auto-unseal failed: journalctl -u vault -n 50 (KMS credentials in ${vaultSettings(context.inventory, context.vars).envPath})`,
        ),
      ]
    }
    if (state.role === 'uninitialized')
      return [fail('unsealed', expected, observed, 'vault operator init, once, on one server')]
    return [pass('unsealed', expected, observed)]
  },
  groups: ['vault'],
  name: 'unsealed',
  probe: healthProbe,
  summary: '/v1/sys/health (mTLS): initialized and unsealed',
}

const oneActive: ClusterCheck = {
  collectFrom: ['vault'],
  evaluate: (collected) => {
    const expected = 'every server unsealed, exactly one active'
    const states = collected.map(({host, result}) => ({host, state: vaultState(result)}))
    const describe = states
      .map(({host, state}) => `${host}: ${'problem' in state ? `unknown (${state.problem})` : state.role}`)
      .join(', ')
    const active = states.filter(({state}) => 'role' in state && state.role === 'active')
    const unhealthy = states.filter(
      ({state}) => !('role' in state) || state.role === 'sealed' || state.role === 'uninitialized',
    )
    if (active.length === 1 && unhealthy.length === 0) return [pass('active', expected, describe)]
    const hint =
      active.length === 0
        ? 'no active server: is the Consul storage backend reachable? journalctl -u vault -n 50'
        : active.length > 1
          ? 'more than one active server: split brain in the storage backend; restart the extra ones'
          : 'unseal or repair the servers named'
    return [fail('active', expected, describe, hint)]
  },
  name: 'active',
  probe: healthProbe,
  summary: 'Every Vault server unsealed and exactly one active',
}

export const VAULT: Suite = {
  clusterChecks: [oneActive],
  hostChecks: [
    unitCheck('vault', ['vault']),
    portsCheck('vault', [VAULT_PORTS.api, VAULT_PORTS.cluster], ['vault']),
    unsealed,
  ],
  name: 'vault',
  summary: 'Vault servers running, initialized and unsealed over mTLS; exactly one active.',
}
