import type {Connection} from '../transport/types.js'
import type {Observed} from './observed.js'
import type {ProbeSpec} from './probe-spec.js'
import type {ApplyOutput} from './remote/apply-output.js'
import type {ApplyPlan} from './remote/apply-script.js'
import type {EnginePaths} from './remote/paths.js'

import {asRoot, scriptCommand} from '../transport/remote-command.js'
import {observedFrom} from './observed.js'
import {parseApplyOutput} from './remote/apply-output.js'
import {applyScript} from './remote/apply-script.js'
import {probeScript} from './remote/probe-script.js'

/** Run an engine script as root on the host, through stdin (it may carry secrets: never in a command line). */
async function runAsRoot(connection: Connection, script: string, timeoutMs: number, signal: AbortSignal) {
  return connection.exec(asRoot(connection.target, scriptCommand(script)), {
    stdin: script,
    ...(timeoutMs > 0 ? {timeoutMs} : {}),
    signal,
  })
}

/** Where the engine keeps its state on the host, and how long a script may run (0: no limit). */
export interface HostIo {
  paths: EnginePaths
  timeoutMs: number
}

/** Round trip 1: facts and the state of everything in `spec`. Changes nothing. */
export async function probeHost(
  connection: Connection,
  spec: ProbeSpec,
  io: HostIo & {signal: AbortSignal},
): Promise<Observed> {
  const result = await runAsRoot(connection, probeScript(spec, io.paths), io.timeoutMs, io.signal)
  return observedFrom(result, spec)
}

/**
 * Round trip 2 (only when something must change): stage artifacts over SFTP, then run the apply script. Returns the
 * per-step reports, plus the script's stderr and exit code for failures the script could not report itself.
 */
export async function applyHost(
  connection: Connection,
  plan: Omit<ApplyPlan, 'staged'>,
  artifacts: ReadonlyMap<string, string>,
  io: HostIo & {signal: AbortSignal},
): Promise<ApplyOutput & {exitCode: null | number; stderr: string; timedOut: boolean}> {
  const staged = new Map<string, string>()
  for (const [localPath, sha256] of artifacts) {
    const remote = `${io.paths.stagingDir}/${sha256}`
    await connection.exec(asRoot(connection.target, `mkdir -p -m 0700 ${io.paths.stagingDir}`))
    await connection.upload({localPath}, remote, {mode: 0o600})
    staged.set(localPath, remote)
  }
  const result = await runAsRoot(connection, applyScript({...plan, staged}, io.paths), io.timeoutMs, io.signal)
  return {
    ...parseApplyOutput(result.stdout),
    exitCode: result.exitCode,
    stderr: result.stderr,
    timedOut: result.timedOut,
  }
}
