import {setTimeout as sleep} from 'node:timers/promises'

import {labDown} from '../../src/lab/down.js'
import type {ProcessRef} from '../../src/lab/processes.js'
import {terminate} from '../../src/lab/processes.js'

/**
 * Stop what is still testing (the runner's workers: they would bring the lab back up), then take the lab down, waiting
 * for a lab command that still holds the lab's lock to finish.
 */
export async function stopTestsAndLab(workers: readonly ProcessRef[]): Promise<void> {
  await Promise.all(workers.map((worker) => terminate(worker, 5_000)))
  for (let attempt = 1; ; attempt++) {
    try {
      await labDown()
      return
    } catch (err) {
      if (attempt >= 60) throw err
      await sleep(2_000)
    }
  }
}
