import {EXIT} from '../cli/exit-codes.js'

/**
 * Ctrl-C once: stop starting new work, cancel what runs, and let the command report what finished (exit 130).
 * Ctrl-C twice: leave at once.
 */
export function interruptOnSigint(onFirst: () => void): {dispose(): void; signal: AbortSignal} {
  const controller = new AbortController()
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
