import {existsSync, readFileSync, rmSync} from 'node:fs'
import path from 'node:path'

import type {StopSignal} from '../core/exit-codes.js'
import type {Inventory} from '../inventory/model.js'
import type {HttpRequest, HttpResponse} from '../roles/shared/hashicorp/curl.js'
import type {SealStatus, VaultInitSecrets} from '../roles/vault/operator.js'
import type {Connection} from '../transport/types.js'
import type {ConnectionOptions} from './scope.js'

import {InvalidInputError, RunError} from '../core/errors.js'
import {stateDirFor} from '../core/state-dir.js'
import {stopSignal} from '../fanout/interrupt.js'
import {withSession} from '../fanout/with-session.js'
import {openInventory} from '../inventory/open.js'
import {selectHosts} from '../patterns/select.js'
import {requireAddress} from '../roles/consul/settings.js'
import {CURL_STDIN_SCRIPT, curlConfig, parseCurlOutput} from '../roles/shared/hashicorp/curl.js'
import {initRequest, parseInit, parseSealStatus, unsealRequests, VAULT_INIT_SECRET} from '../roles/vault/operator.js'
import {VAULT_GROUP, VAULT_PORTS, vaultSettings} from '../roles/vault/settings.js'
import {writeFileAtomically} from '../state/atomic-write.js'
import {fileError, STATE_DIR_ELSEWHERE} from '../state/file-errors.js'
import {asRoot} from '../transport/remote-command.js'

/** One request with curl on the host; the config (keys included) goes over stdin, never in argv. */
async function call(connection: Connection, request: HttpRequest): Promise<HttpResponse> {
  const result = await connection.exec(asRoot(connection.target, CURL_STDIN_SCRIPT), {
    stdin: curlConfig(request),
    timeoutMs: 60_000,
  })
  const response = parseCurlOutput(result.stdout)
  if (result.exitCode !== 0 || !response)
    throw new RunError(`${connection.target.host}: ${result.stderr.trim() || `curl exited with ${result.exitCode}`}`)
  return response
}

function endpoint(inventory: Inventory, host: string): {cacert: string; url: string} {
  const settings = vaultSettings(inventory, inventory.hostVars(host))
  return {cacert: settings.caFile, url: `https://${requireAddress(inventory, host)}:${VAULT_PORTS.api}`}
}

const NOTICES = {first: 'interrupting (Ctrl-C again to quit now)'}

function secretFile(inventoryPath: string): string {
  return path.join(stateDirFor(inventoryPath), 'secrets', VAULT_INIT_SECRET)
}

function initialisedBefore(file: string): RunError {
  return new RunError(
    `Vault was initialised by goldentooth before: its keys are in ${file}`,
    'run goldentooth vault unseal; to start over, wipe Vault and move that file away first',
  )
}

/** Create the (empty) keys file before Vault is asked, so that a second vault init, or a full disk, stops there. */
function claim(file: string): void {
  try {
    writeFileAtomically(file, '', {directoryMode: 0o700, elsewhere: STATE_DIR_ELSEWHERE, exclusive: true, mode: 0o600})
  } catch (error) {
    throw (error as NodeJS.ErrnoException).code === 'EEXIST' ? initialisedBefore(file) : error
  }
}

function readInitSecrets(file: string): VaultInitSecrets {
  let secrets: Partial<VaultInitSecrets> | undefined
  try {
    secrets = JSON.parse(readFileSync(file, 'utf8')) as Partial<VaultInitSecrets>
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw fileError(error, file, {action: 'read'})
  }
  if (!Array.isArray(secrets?.keys) || secrets.keys.length === 0 || typeof secrets.threshold !== 'number')
    throw new InvalidInputError(
      `${file} does not hold Vault's keys (an empty file is left by a vault init that was interrupted)`,
      undefined,
      'restore it from a backup, or write it as {"keys": [...], "keyType": "unseal", "threshold": N, ...}',
    )
  return secrets as VaultInitSecrets
}

export interface VaultInitOptions extends ConnectionOptions {
  /** How many key shares to split the key into. */
  shares: number
  /** How many of them unseal Vault. */
  threshold: number
}

export interface VaultInitReport {
  host: string
  keyType: VaultInitSecrets['keyType']
  secretFile: string
  shares: number
  threshold: number
}

/**
 * Initialise Vault once, on the first host of the vault group, and keep the keys and root token in the secret store
 * (0600). The file is claimed before Vault is asked, so keys are never received with nowhere to put them.
 */
export async function vaultInit(options: VaultInitOptions): Promise<VaultInitReport> {
  const inventory = await openInventory(options)
  const host = selectHosts(inventory, VAULT_GROUP, {}).hosts[0]!
  const file = secretFile(options.inventory)
  if (existsSync(file)) throw initialisedBefore(file)
  claim(file)
  let stored = false
  try {
    return await withSession(inventory, [host], options, NOTICES, async (session) => {
      const connection = await session.connection(host)
      const {cacert, url} = endpoint(inventory, host)
      const status = parseSealStatus(
        await call(connection, {cacert, method: 'GET', url: `${url}/v1/sys/seal-status`}),
        host,
      )
      if (status.initialized)
        throw new RunError(
          `Vault on ${host} is already initialised, and goldentooth does not hold its keys`,
          `put them in ${file} as {"keys": [...], "keyType": "unseal", "threshold": N, ...} to use vault unseal`,
        )
      const response = await call(connection, initRequest(url, cacert, status, options.shares, options.threshold))
      const secrets = parseInit(response, host, options.threshold, new Date())
      writeFileAtomically(file, `${JSON.stringify(secrets, null, 2)}\n`, {elsewhere: STATE_DIR_ELSEWHERE, mode: 0o600})
      stored = true
      return {host, keyType: secrets.keyType, secretFile: file, shares: options.shares, threshold: options.threshold}
    })
  } finally {
    if (!stored) rmSync(file, {force: true})
  }
}

export interface UnsealResult {
  error?: string
  host: string
  /** unsealed: this run unsealed it; already-unsealed: it was not sealed; failed: see error. */
  status: 'already-unsealed' | 'failed' | 'unsealed'
}

async function unsealHost(connection: Connection, inventory: Inventory, host: string, secrets: VaultInitSecrets) {
  const {cacert, url} = endpoint(inventory, host)
  const status = parseSealStatus(
    await call(connection, {cacert, method: 'GET', url: `${url}/v1/sys/seal-status`}),
    host,
  )
  const requests = unsealRequests(url, cacert, status, secrets, host)
  if (requests.length === 0) return 'already-unsealed' as const
  let last: SealStatus = status
  for (const request of requests) {
    last = parseSealStatus(await call(connection, request), host)
    if (!last.sealed) return 'unsealed' as const
  }
  throw new RunError(`${host}: still sealed after ${last.progress} of ${last.t} keys`)
}

export interface UnsealReport {
  hosts: UnsealResult[]
  stoppedBy: StopSignal | undefined
}

/** Feed the stored unseal keys to every sealed Vault server (PATTERN narrows the vault group). */
export async function vaultUnseal(pattern: string | undefined, options: ConnectionOptions): Promise<UnsealReport> {
  const inventory = await openInventory(options)
  const file = secretFile(options.inventory)
  if (!existsSync(file))
    throw new RunError(`no Vault keys in ${file}`, 'initialise Vault first: goldentooth vault init')
  const secrets = readInitSecrets(file)
  let {hosts} = selectHosts(inventory, VAULT_GROUP, pattern ? {limit: pattern} : {})
  if (options.limit) {
    const allowed = new Set(selectHosts(inventory, 'all', {limit: options.limit}).hosts)
    hosts = hosts.filter((host) => allowed.has(host))
  }
  const {outcomes, stoppedBy} = await withSession(inventory, hosts, options, NOTICES, async (session, interrupt) => {
    const outcomes = await session.forEach((connection, host) => unsealHost(connection, inventory, host, secrets))
    return {outcomes, stoppedBy: stopSignal(interrupt.signal)}
  })
  const results = outcomes.map((outcome): UnsealResult => {
    if (outcome.status === 'done') return {host: outcome.host, status: outcome.value}
    const error = outcome.status === 'interrupted' ? 'interrupted' : outcome.error.message
    return {error, host: outcome.host, status: 'failed'}
  })
  return {hosts: results, stoppedBy}
}
