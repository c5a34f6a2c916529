import type {Inventory} from '../inventory/model.js'

import {type Interrupt, interruptOnSignals, type InterruptNotices} from './interrupt.js'
import {Session, type SessionFlags, sessionOptions} from './session.js'

/** Hold one session (one connection per host) for the duration of `work`, interruptible by SIGINT, SIGTERM, SIGHUP. */
export async function withSession<T>(
  inventory: Inventory,
  hosts: readonly string[],
  flags: SessionFlags,
  notices: InterruptNotices,
  work: (session: Session, interrupt: Interrupt) => Promise<T>,
): Promise<T> {
  const interrupt = interruptOnSignals(notices)
  try {
    const session = await Session.open(inventory, hosts, sessionOptions(flags, interrupt.signal))
    try {
      return await work(session, interrupt)
    } finally {
      await session.close()
    }
  } finally {
    interrupt.dispose()
  }
}
