import type {HttpRequest, HttpResponse} from '../shared/hashicorp/curl.js'

import {RunError} from '../../core/errors.js'

/** GET /v1/sys/seal-status, as far as init and unseal care. */
export interface SealStatus {
  initialized: boolean
  /** Keys submitted so far towards the threshold. */
  progress: number
  sealed: boolean
  /** Threshold: keys needed. */
  t: number
  /** shamir, awskms, … */
  type: string
}

/** What `vault init` keeps in the secret store (0600): enough to unseal, and the root token. */
export interface VaultInitSecrets {
  host: string
  initializedAt: string
  /** Unseal keys (Shamir) or recovery keys (auto-unseal), base64. */
  keys: string[]
  keyType: 'recovery' | 'unseal'
  rootToken: string
  threshold: number
}

export const VAULT_INIT_SECRET = 'vault-init.json'

function body<T>(response: HttpResponse, host: string, what: string): T {
  if (response.status === 0)
    throw new RunError(
      `${host}: Vault's API did not answer ${what}`,
      'is vault.service running? goldentooth command HOST -- systemctl status vault',
    )
  if (response.status < 200 || response.status >= 300)
    throw new RunError(`${host}: Vault answered ${what} with HTTP ${response.status}: ${errorsOf(response.body)}`)
  try {
    return JSON.parse(response.body) as T
  } catch {
    throw new RunError(`${host}: Vault answered ${what} with something that is not JSON`)
  }
}

/** Vault's `{"errors": [...]}`, or the raw text. */
function errorsOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as {errors?: string[]}
    if (Array.isArray(parsed.errors)) return parsed.errors.join('; ')
  } catch {
    // not JSON: say it as it came
  }
  return text.slice(0, 300)
}

export function parseSealStatus(response: HttpResponse, host: string): SealStatus {
  const status = body<Partial<SealStatus>>(response, host, 'GET /v1/sys/seal-status')
  if (typeof status.initialized !== 'boolean' || typeof status.sealed !== 'boolean')
    throw new RunError(`${host}: /v1/sys/seal-status has no initialized/sealed fields`)
  return {
    initialized: status.initialized,
    progress: status.progress ?? 0,
    sealed: status.sealed,
    t: status.t ?? 0,
    type: status.type ?? 'shamir',
  }
}

/** PUT /v1/sys/init: unseal key shares for Shamir, recovery key shares for an auto-unseal (awskms). */
export function initRequest(
  url: string,
  cacert: string,
  seal: SealStatus,
  shares: number,
  threshold: number,
): HttpRequest {
  if (!(threshold >= 1 && threshold <= shares))
    throw new RunError(`the key threshold (${threshold}) must be between 1 and the number of shares (${shares})`)
  const body =
    seal.type === 'shamir'
      ? {secret_shares: shares, secret_threshold: threshold}
      : {recovery_shares: shares, recovery_threshold: threshold}
  return {body, cacert, method: 'PUT', url: `${url}/v1/sys/init`}
}

/** The keys and root token from PUT /v1/sys/init. */
export function parseInit(response: HttpResponse, host: string, threshold: number, now: Date): VaultInitSecrets {
  const result = body<{keys_base64?: string[]; recovery_keys_base64?: string[]; root_token?: string}>(
    response,
    host,
    'PUT /v1/sys/init',
  )
  const recovery = (result.recovery_keys_base64 ?? []).length > 0
  const keys = recovery ? result.recovery_keys_base64! : (result.keys_base64 ?? [])
  if (keys.length === 0 || typeof result.root_token !== 'string')
    throw new RunError(`${host}: /v1/sys/init answered without keys or a root token`)
  return {
    host,
    initializedAt: now.toISOString(),
    keys,
    keyType: recovery ? 'recovery' : 'unseal',
    rootToken: result.root_token,
    threshold,
  }
}

/**
 * What unsealing one host takes, from its seal status: nothing (unsealed, or auto-unsealed), or starting over with
 * the first `threshold` stored keys (a reset first drops any keys someone half-entered by hand).
 */
export function unsealRequests(
  url: string,
  cacert: string,
  status: SealStatus,
  secrets: VaultInitSecrets,
  host: string,
): HttpRequest[] {
  if (!status.initialized) throw new RunError(`${host}: Vault is not initialised`, 'run: goldentooth vault init')
  if (!status.sealed) return []
  if (status.type !== 'shamir')
    throw new RunError(
      `${host}: Vault is sealed with the ${status.type} seal, which unseals itself: unseal keys do not apply`,
      `check the seal's credentials and the service: goldentooth command ${host} -- journalctl -u vault -n 50`,
    )
  if (secrets.keyType !== 'unseal')
    throw new RunError('the stored vault-init.json holds recovery keys, not unseal keys')
  if (secrets.keys.length < status.t)
    throw new RunError(`${host} needs ${status.t} unseal keys; the secret store has ${secrets.keys.length}`)
  const endpoint = `${url}/v1/sys/unseal`
  return [
    {body: {reset: true}, cacert, method: 'PUT', url: endpoint},
    ...secrets.keys.slice(0, status.t).map((key): HttpRequest => ({body: {key}, cacert, method: 'PUT', url: endpoint})),
  ]
}
