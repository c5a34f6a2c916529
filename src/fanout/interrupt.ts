import {setMaxListeners} from 'node:events'

import {EXIT} from '../cli/exit-codes.js'

/**
 * Ctrl-C once: stop starting new work, cancel what runs, and let the command report what finished (exit 130).
 * Ctrl-C twice: leave at once.
 */
export function interruptOnSigint(onFirst: () => void): {dispose(): void; signal: AbortSignal} {
  const controller = new AbortController()
  // Every host's work listens for the interrupt: 50 hosts are 50 listeners, not a leak.
  setMaxListeners(0, controller.signal)
  const handler = () => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted)
    onFirst()
    controller.abort()
  }
  process.on('SIGINT', handler)
  return {
    dispose: () => process.off('SIGINT', handler),
    signal: controller.signal,
  }
}
