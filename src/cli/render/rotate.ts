import type {RotateReport} from '../../services/rotate.js'
import type {Renderer} from '../renderer.js'

import {EXIT, exitCodeOnSignal} from '../../core/exit-codes.js'

/** On stderr, as each host finishes. */
export function rotateProgress(host: string, line: string): void {
  process.stderr.write(`${host}: ${line}\n`)
}

/** Every host was shown as it finished (rotateProgress); exit 1 when one failed or could not be reached. */
export const rotateRenderer: Renderer<RotateReport> = {
  exitCode: ({results, stoppedBy}) => {
    if (stoppedBy) return exitCodeOnSignal(stoppedBy)
    return results.some((r) => r.status === 'failed' || r.status === 'unreachable') ? EXIT.failed : EXIT.ok
  },
  json: ({results, service}) => ({results, service}),
  text: () => ({}),
}
