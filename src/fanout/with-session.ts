import type {Inventory} from '../inventory/model.js'

import {InterruptedError} from '../core/errors.js'
import {type Interrupt, interruptedExitCode, interruptOnSignals, type InterruptNotices} from './interrupt.js'
import {Session, type SessionSettings, sessionOptions} from './session.js'

/**
 * Hold one session (one connection per host) for the duration of `work`, interruptible by SIGINT, SIGTERM, SIGHUP.
 * What fails once the run is interrupted (a connection attempt abandoned, say) fails as the interruption.
 */
export async function withSession<T>(
  inventory: Inventory,
  hosts: readonly string[],
  settings: SessionSettings,
  notices: InterruptNotices,
  work: (session: Session, interrupt: Interrupt) => Promise<T>,
): Promise<T> {
  const interrupt = interruptOnSignals(notices)
  try {
    const session = await Session.open(inventory, hosts, sessionOptions(settings, interrupt.signal))
    try {
      return await work(session, interrupt)
    } finally {
      await session.close()
    }
  } catch (error) {
    throw interrupt.signal.aborted ? new InterruptedError(interruptedExitCode(interrupt.signal)) : error
  } finally {
    interrupt.dispose()
  }
}
