import type {SessionSettings} from '../fanout/session.js'

import {RunError, UsageError} from '../core/errors.js'
import {withSession} from '../fanout/with-session.js'
import {type InventorySource, openInventory} from '../inventory/open.js'
import {stepCaSettings} from '../roles/shared/pki/settings.js'
import {shq} from '../transport/quote.js'
import {asRoot, scriptCommand} from '../transport/remote-command.js'

export interface ZapOptions extends InventorySource, SessionSettings {
  /** The CA host's name, exactly: nothing is deleted without it. */
  confirm?: string | undefined
}

export interface ZapReport {
  deleted: number
  directory: string
  host: string
}

const NOTICES = {first: 'interrupting (Ctrl-C again to quit now)'}

/**
 * Delete the cluster CA (everything in step_ca's directory on the CA host) so setup_step_ca initialises a new one.
 * Refuses unless --confirm names the CA host exactly: every certificate the old CA issued stops verifying.
 */
export async function zapClusterCa(options: ZapOptions): Promise<ZapReport> {
  const inventory = await openInventory(options)
  const caHost = inventory.groupHosts('step_ca')[0]
  if (caHost === undefined) throw new UsageError('the inventory has no step_ca group: there is no cluster CA')
  const settings = stepCaSettings(inventory, inventory.hostVars(caHost))
  const what =
    `zap_cluster_ca stops step-ca on ${caHost} and deletes everything in ${settings.etcPath} there: the root and ` +
    'intermediate keys and certificates, the SSH host and user CA keys, ca.json and the certificate database. ' +
    'Every certificate the cluster CA issued stops verifying once setup_step_ca initialises a new CA'
  if (options.confirm !== caHost) {
    throw new UsageError(
      options.confirm === undefined
        ? what
        : `--confirm ${options.confirm} does not name the CA host (${caHost}): ${what}`,
      `to do it: goldentooth zap_cluster_ca --confirm ${caHost}`,
    )
  }
  return withSession(inventory, [caHost], options, NOTICES, async (session) => {
    const connection = await session.connection(caHost)
    const script = [
      'set -u',
      'systemctl stop step-ca.service 2>/dev/null || true',
      `if [ -d ${shq(settings.etcPath)} ]; then find ${shq(settings.etcPath)} -mindepth 1 -depth -print -delete | wc -l; else echo 0; fi`,
    ].join('\n')
    const result = await connection.exec(asRoot(connection.target, scriptCommand(script)), {stdin: `${script}\n`})
    if (result.exitCode !== 0) throw new RunError(`zap_cluster_ca failed on ${caHost}: ${result.stderr.trim()}`)
    return {deleted: Number.parseInt(result.stdout.trim(), 10) || 0, directory: settings.etcPath, host: caHost}
  })
}
