import type {PlannedResource} from './compare.js'
import type {Observed} from './observed.js'
import type {Handler} from './remote/apply-script.js'

import {unitName} from './resources.js'

/** Handlers to run: those notified by planned changes, then restarts left pending by an earlier run, once each. */
export function handlersFor(planned: readonly PlannedResource[], observed: Pick<Observed, 'pending'>): Handler[] {
  const handlers = new Map<string, Handler>()
  const add = (action: Handler['action'], service: string) => {
    const handler = {action, unit: unitName(service)}
    const key = `${handler.action}@${handler.unit}`
    if (!handlers.has(key)) handlers.set(key, handler)
  }
  for (const item of planned) for (const notify of item.notify) add(notify.action, notify.service)
  for (const pending of observed.pending) add(pending.action, pending.service)
  return [...handlers.values()]
}
