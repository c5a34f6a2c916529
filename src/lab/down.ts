import {withLock} from '../state/lock.js'
import {LAB_LOCK} from './paths.js'
import {checkPrerequisites} from './prerequisites.js'
import {readState} from './state.js'
import {teardown} from './teardown.js'

export interface LabDownReport {
  stopped: string[]
  seconds: number
}

/** Stop the lab and remove exactly what `lab up` created; a lab that is already down is fine. */
export async function labDown(): Promise<LabDownReport> {
  checkPrerequisites()
  return withLock(LAB_LOCK, 'lab down', async () => {
    const started = Date.now()
    const stopped = await teardown(readState())
    return {stopped, seconds: (Date.now() - started) / 1000}
  })
}
