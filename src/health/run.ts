import type {Session} from '../fanout/session.js'
import type {Connection} from '../transport/types.js'
import type {HostRun} from './evaluate.js'
import type {HealthPlan, HostPlan} from './plan.js'

import {asRoot, scriptCommand} from '../transport/remote-command.js'
import {healthScript, parseScriptOutput, scriptTimeoutSeconds} from './script.js'

export interface HealthScriptOptions {
  /** Keep retrying failing probes this long (Goss's --retry-timeout), on top of what each check declares. */
  retryTimeout: number
  /** Seconds one host's script may run; 0 works it out from the probes' timeouts and retry windows. */
  timeout: number
}

export const epochMs = () => performance.timeOrigin + performance.now()

/** Run one host's health script: one exec, the node's clock timed against the round trip. */
async function runHost(
  connection: Connection,
  plan: HostPlan,
  options: HealthScriptOptions,
  signal: AbortSignal,
): Promise<HostRun> {
  const retry = options.retryTimeout
  const script = healthScript(plan.probes, retry)
  const timeoutSeconds = options.timeout > 0 ? options.timeout : scriptTimeoutSeconds(plan.probes, retry)
  let receivedEpochMs: number | undefined
  const sentEpochMs = epochMs()
  const result = await connection.exec(asRoot(connection.target, scriptCommand(script)), {
    onStdout: () => {
      receivedEpochMs ??= epochMs()
    },
    signal,
    stdin: script,
    timeoutMs: timeoutSeconds * 1000,
  })
  const output = parseScriptOutput(result.stdout)
  return {
    durationMs: result.durationMs,
    exitCode: result.exitCode,
    host: plan.context.host,
    output,
    receivedMs: epochMs(),
    status: 'ran',
    stderr: result.stderr,
    timedOut: result.timedOut,
    ...(output.nodeEpochMs !== undefined && receivedEpochMs !== undefined
      ? {clock: {nodeEpochMs: output.nodeEpochMs, receivedEpochMs, sentEpochMs}}
      : {}),
  }
}

/** Every host of the session runs its script once; hosts that could not be reached say why. */
export async function runHealthScripts(
  session: Session,
  plan: HealthPlan,
  options: HealthScriptOptions,
): Promise<Map<string, HostRun>> {
  const plans = new Map(plan.hosts.map((host) => [host.context.host, host]))
  const outcomes = await session.forEach((connection, host) =>
    runHost(connection, plans.get(host)!, options, session.signal),
  )
  const runs = new Map<string, HostRun>()
  for (const outcome of outcomes) {
    if (outcome.status === 'done') runs.set(outcome.host, outcome.value)
    else if (outcome.status !== 'interrupted') {
      runs.set(outcome.host, {
        durationMs: outcome.durationMs,
        error: outcome.error.message,
        host: outcome.host,
        status: 'unreachable',
        ...(outcome.status === 'unreachable' && outcome.error.hint ? {hint: outcome.error.hint} : {}),
      })
    }
  }
  return runs
}
