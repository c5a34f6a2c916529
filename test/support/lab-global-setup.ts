/**
 * Global setup of the `lab` test project. A lab that is already running when the run starts belongs to someone at
 * work on it: the run uses it and leaves it running. Otherwise the setup brings the lab up once for the whole run
 * (after removing what a crashed run left) and always tears it down: in the teardown, on SIGINT/SIGTERM/SIGHUP (stopping the test workers first, so that
 * none brings the lab back), and through a detached watchdog when the runner itself dies. Under CI=true a machine
 * that cannot run the lab fails the run; elsewhere the lab tests skip.
 */
import {spawn} from 'node:child_process'
import path from 'node:path'

import type {TestProject} from 'vitest/node'

import {GoldentoothError} from '../../src/core/errors.js'
import {labDown} from '../../src/lab/down.js'
import {checkPrerequisites} from '../../src/lab/prerequisites.js'
import {childPids, processRef} from '../../src/lab/processes.js'
import {REPO, runCli} from './lab.js'
import {stopTestsAndLab} from './lab-teardown.js'

declare module 'vitest' {
  export interface ProvidedContext {
    labUnavailable: string
  }
}

function unavailableReason(): string {
  try {
    checkPrerequisites()
    return ''
  } catch (err) {
    if (!(err instanceof GoldentoothError)) throw err
    return err.hint ? `${err.message} (${err.hint})` : err.message
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const reason = unavailableReason()
  project.provide('labUnavailable', reason)
  if (reason) {
    if (process.env.CI === 'true') throw new Error(`the lab tests cannot run on this machine: ${reason}`)
    process.stderr.write(`lab tests skipped: ${reason}\n`)
    return async () => undefined
  }

  const status = await runCli(['lab', 'status', '--json'])
  if (status.exitCode === 0 && (JSON.parse(status.stdout) as {up: boolean}).up) {
    const up = await runCli(['lab', 'up', '--json'])
    if (up.exitCode !== 0) throw new Error(`lab up failed (exit ${up.exitCode}):\n${up.stdout}\n${up.stderr}`)
    return async () => undefined
  }

  await labDown()
  const watchdog = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(REPO, 'test/support/lab-watchdog.ts'), String(process.pid)],
    {cwd: REPO, detached: true, stdio: 'ignore'},
  )
  watchdog.unref()
  const workers = () => childPids(process.pid).flatMap((pid) => (pid === watchdog.pid ? [] : (processRef(pid) ?? [])))
  const onSignal = () => {
    void stopTestsAndLab(workers()).finally(() => {
      watchdog.kill('SIGTERM')
      process.exit(130)
    })
  }
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
  for (const signal of signals) process.once(signal, onSignal)

  const teardown = async () => {
    for (const signal of signals) process.off(signal, onSignal)
    watchdog.kill('SIGTERM')
    await labDown()
  }
  const up = await runCli(['lab', 'up', '--json'])
  if (up.exitCode !== 0) {
    await teardown()
    throw new Error(`lab up failed (exit ${up.exitCode}):\n${up.stdout}\n${up.stderr}`)
  }
  return teardown
}
