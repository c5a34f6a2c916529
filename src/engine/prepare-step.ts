import type {Session} from '../fanout/session.js'
import type {PlanInputs} from './planning.js'
import type {RoleRun, RunSettings} from './role-run.js'

import {asRoot} from '../transport/remote-command.js'
import {artifactCacheDir} from './artifacts.js'
import {factsFor} from './planning.js'

/**
 * The role's work on the operator's machine between probe and plan (release binaries, signing), on the hosts the
 * probe reached; its result reaches every plan. Its commands on hosts stop at the second interrupt (`force`).
 */
export async function prepareStep(
  session: Session,
  run: RoleRun,
  probed: PlanInputs,
  hosts: readonly string[],
  settings: RunSettings,
  force: AbortSignal,
): Promise<unknown> {
  return run.role.prepare?.({
    artifactsDir: settings.artifactsDir,
    cacheDir: artifactCacheDir(),
    check: settings.check,
    exec: async (host, command, options = {}) => {
      const connection = await session.connection(host)
      return connection.exec(asRoot(connection.target, command), {
        ...options,
        ...(settings.timeoutMs > 0 ? {timeoutMs: settings.timeoutMs} : {}),
        signal: force,
      })
    },
    factsOf: (host) => factsFor(probed, host),
    fetched: probed.fetched,
    hosts,
    inventory: run.inventory,
    options: run.options,
    secret: (name) => run.secrets.get(name),
    stateDir: settings.stateDir,
  })
}
