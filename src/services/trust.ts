import {existsSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import type {SessionSettings} from '../fanout/session.js'
import type {Inventory} from '../inventory/model.js'

import {RunError} from '../core/errors.js'
import {stateDirFor} from '../core/state-dir.js'
import {SecretStore} from '../engine/secrets.js'
import {withSession} from '../fanout/with-session.js'
import {type InventorySource, openInventory} from '../inventory/open.js'
import {stepCaSettings} from '../roles/shared/pki/settings.js'
import {publicKeyOf, SSH_CA_SECRETS} from '../roles/ssh_certificates/openssh-ca.js'
import {CERT_AUTHORITY_MATCH, certAuthorityLine, sshCertificateSettings} from '../roles/ssh_certificates/settings.js'
import {writeFileAtomically} from '../state/atomic-write.js'
import {shq} from '../transport/quote.js'
import {asRoot} from '../transport/remote-command.js'

export interface TrustOptions extends InventorySource, SessionSettings {
  /** The known_hosts file to add the line to (default: ~/.ssh/known_hosts). */
  knownHosts?: string | undefined
}

export interface TrustReport {
  changed: boolean
  file: string
  line: string
}

const NOTICES = {first: 'interrupting (Ctrl-C again to quit now)'}

/** The host CA's public key: from the operator's secret store (openssh), or read from the CA host (step). */
async function hostCaPublicKey(inventory: Inventory, options: TrustOptions): Promise<string> {
  const first = inventory.groupHosts('all')[0]
  if (first === undefined) throw new RunError('the inventory has no hosts')
  const vars = inventory.hostVars(first)
  if (sshCertificateSettings(vars).ca === 'openssh') {
    const dir = path.join(stateDirFor(options.inventory), 'secrets')
    if (!existsSync(path.join(dir, SSH_CA_SECRETS.host.name)))
      throw new RunError(
        `there is no SSH host CA yet (${path.join(dir, SSH_CA_SECRETS.host.name)})`,
        'run goldentooth setup_ssh_certificates first',
      )
    return publicKeyOf(new SecretStore(dir, false).ensure(SSH_CA_SECRETS.host))
  }
  const step = stepCaSettings(inventory, vars)
  if (!step.caHost) throw new RunError('the inventory has no step_ca group: no SSH host CA to trust')
  const caHost = step.caHost
  return withSession(inventory, [caHost], options, NOTICES, async (session) => {
    const connection = await session.connection(caHost)
    const file = `${step.etcPath}/certs/ssh_host_ca_key.pub`
    const result = await connection.exec(asRoot(connection.target, `cat ${shq(file)}`))
    if (result.exitCode !== 0 || !result.stdout.trim())
      throw new RunError(`${caHost} has no ${file}`, 'run goldentooth setup_step_ca first')
    return result.stdout.trim()
  })
}

/**
 * Trust the cluster's SSH host CA in the operator's known_hosts (one @cert-authority line for the cluster's names,
 * replaced in place when it changes), so the first connection to a node needs no trust-on-first-use.
 */
export async function trustHostCa(options: TrustOptions): Promise<TrustReport> {
  const inventory = await openInventory(options)
  const line = certAuthorityLine(inventory, await hostCaPublicKey(inventory, options))
  const file = path.resolve(options.knownHosts ?? path.join(os.homedir(), '.ssh', 'known_hosts'))
  const current = existsSync(file) ? await readFile(file, 'utf8') : ''
  const lines = current === '' ? [] : current.replace(/\n$/, '').split('\n')
  const match = new RegExp(CERT_AUTHORITY_MATCH)
  const index = lines.findIndex((existing) => match.test(existing))
  if (lines[index] === line) return {changed: false, file, line}
  if (index === -1) lines.push(line)
  else lines[index] = line
  writeFileAtomically(file, `${lines.join('\n')}\n`, {
    directoryMode: 0o700,
    elsewhere: 'or name another file with --known-hosts',
    mode: 0o644,
  })
  return {changed: true, file, line}
}
