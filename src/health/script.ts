import type {Probe, ProbeResult} from './model.js'

import {shq} from '../transport/quote.js'

export const DEFAULT_PROBE_TIMEOUT_SECONDS = 10

/**
 * The health script: one POSIX sh program, one round trip per host. It prints the node's clock first (`T <ns>`), runs
 * the probes (those marked `first` alone, then the rest in parallel), each under `timeout` and retried while it fails
 * and its retry window is open, then reports each as `R <index> <rc> <µs> <attempts> <base64 stdout> <base64 stderr>`
 * and ends with `E`. It changes nothing on the host.
 */
const PRELUDE = String.raw`#!/bin/sh
export LC_ALL=C
printf 'T %s\n' "$(date +%s%N)"
d=$(mktemp -d) || exit 125
trap 'rm -rf "$d"' EXIT
probe() {
  id=$1 limit=$2 window=$3 body=$4
  start=$(date +%s%N)
  n=0
  while :; do
    n=$((n + 1))
    timeout -k 2 "$limit" sh -c "$body" >"$d/$id.out" 2>"$d/$id.err" </dev/null
    rc=$?
    [ "$rc" -eq 0 ] && break
    [ $(($(date +%s) - start / 1000000000)) -lt "$window" ] || break
    sleep 1
  done
  end=$(date +%s%N)
  echo "$rc $(((end - start) / 1000)) $n" >"$d/$id.meta"
}
report() {
  [ -f "$d/$1.meta" ] || return 0
  read -r rc us n <"$d/$1.meta"
  printf 'R %s %s %s %s ' "$1" "$rc" "$us" "$n"
  base64 -w0 <"$d/$1.out"
  printf ' '
  base64 -w0 <"$d/$1.err"
  printf '\n'
}
`

/** Compile probes into the health script; `retryFloorSeconds` (--retry-timeout) widens every probe's retry window. */
export function healthScript(probes: readonly Probe[], retryFloorSeconds = 0): string {
  const call = (probe: Probe, index: number) =>
    `probe ${index} ${probe.timeoutSeconds ?? DEFAULT_PROBE_TIMEOUT_SECONDS} ${Math.max(probe.retrySeconds ?? 0, retryFloorSeconds)} ${shq(probe.script)}`
  const lines = [PRELUDE]
  probes.forEach((probe, index) => {
    if (probe.first) lines.push(call(probe, index))
  })
  probes.forEach((probe, index) => {
    if (!probe.first) lines.push(`${call(probe, index)} &`)
  })
  lines.push('wait')
  probes.forEach((_, index) => lines.push(`report ${index}`))
  lines.push("printf 'E\\n'")
  return `${lines.join('\n')}\n`
}

/** How long the whole script may take: the slowest probe's retry window and timeout, plus room for the rest. */
export function scriptTimeoutSeconds(probes: readonly Probe[], retryFloorSeconds = 0): number {
  const slowest = (probe: Probe) =>
    Math.max(probe.retrySeconds ?? 0, retryFloorSeconds) + (probe.timeoutSeconds ?? DEFAULT_PROBE_TIMEOUT_SECONDS) + 3
  const first = probes.filter((probe) => probe.first).reduce((sum, probe) => sum + slowest(probe), 0)
  return first + Math.max(0, ...probes.filter((probe) => !probe.first).map(slowest)) + 30
}

export interface ScriptOutput {
  /** The node's clock when the script started, in epoch milliseconds (with the fraction). */
  nodeEpochMs?: number
  results: Map<number, ProbeResult>
  /** The script reached its end (`E`). */
  complete: boolean
}

function decode(field: string | undefined): string {
  return Buffer.from(field ?? '', 'base64').toString('utf8')
}

export function parseScriptOutput(stdout: string): ScriptOutput {
  const output: ScriptOutput = {complete: false, results: new Map()}
  for (const line of stdout.split('\n')) {
    const fields = line.split(' ')
    if (fields[0] === 'T' && /^\d+$/.test(fields[1] ?? '')) {
      output.nodeEpochMs = Number(BigInt(fields[1]!) / 1000n) / 1000
    } else if (fields[0] === 'R' && fields.length === 7) {
      const [, index, exitCode, micros, attempts, out, err] = fields
      output.results.set(Number(index), {
        attempts: Number(attempts),
        durationMs: Math.round(Number(micros) / 1000),
        exitCode: Number(exitCode),
        stderr: decode(err),
        stdout: decode(out),
      })
    } else if (line === 'E') {
      output.complete = true
    }
  }
  return output
}
