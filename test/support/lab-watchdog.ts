/**
 * Started detached by the lab tests' global setup with the test runner's pid: if the runner dies without tearing the
 * lab down (killed, crashed), this stops the runner's orphaned workers and takes the lab down. The global setup's
 * teardown stops the watchdog first.
 */
import {setTimeout as sleep} from 'node:timers/promises'

import {childPids, isAlive, processRef, type ProcessRef} from '../../src/lab/processes.js'
import {stopTestsAndLab} from './lab-teardown.js'

const runner = processRef(Number(process.argv[2]))
const workers = new Map<number, ProcessRef>()
while (runner && isAlive(runner)) {
  for (const pid of childPids(runner.pid)) {
    const ref = pid === process.pid || workers.has(pid) ? undefined : processRef(pid)
    if (ref) workers.set(pid, ref)
  }
  await sleep(500)
}
await stopTestsAndLab([...workers.values()])
