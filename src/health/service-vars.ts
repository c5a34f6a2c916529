import type {HostContext} from './model.js'

import {stepCaSettings} from '../roles/shared/pki/settings.js'

/** The cluster CA's root certificate on every node, as setup_step_ca installs it. */
export function installedRootPath(context: HostContext): string {
  return stepCaSettings(context.inventory, context.vars).rootCertPath
}

/** The first selected host of a group in inventory order is its primary (the ZFS snapshot source, Slurm's primary). */
export function isFirstOf(context: HostContext, group: string): boolean {
  return context.inventory.groupHosts(group)[0] === context.host
}
