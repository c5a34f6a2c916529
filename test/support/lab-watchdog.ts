/**
 * Started detached by the lab tests' global setup with the test runner's pid: if the runner dies without tearing the
 * lab down (killed, crashed), this does it. The global setup's teardown stops the watchdog first.
 */
import {setTimeout as sleep} from 'node:timers/promises'

import {labDown} from '../../src/lab/down.js'

const runner = Number(process.argv[2])

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

while (alive(runner)) await sleep(500)
await labDown()
