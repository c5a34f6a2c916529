import type {ProbeResult, Verdict} from './model.js'

export function pass(name: string, expected: string, observed: string, extra: Partial<Verdict> = {}): Verdict {
  return {expected, name, observed, status: 'pass', ...extra}
}

export function fail(
  name: string,
  expected: string,
  observed: string,
  hint?: string,
  extra: Partial<Verdict> = {},
): Verdict {
  return {expected, name, observed, status: 'fail', ...(hint ? {hint} : {}), ...extra}
}

export function skip(name: string, expected: string, observed: string): Verdict {
  return {expected, name, observed, status: 'skip'}
}

export function verdictIf(ok: boolean, name: string, expected: string, observed: string, hint?: string): Verdict {
  return ok ? pass(name, expected, observed) : fail(name, expected, observed, hint)
}

/** The first line of a probe's error output, or of its output, for an observation that failed outright. */
export function firstLine(result: ProbeResult): string {
  const text = (result.stderr.trim() || result.stdout.trim()).split('\n')[0] ?? ''
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}

/** Why a probe produced nothing usable: not run, timed out, a missing command, or its own words. */
export function probeProblem(result: ProbeResult | undefined, command: string): string | undefined {
  if (!result) return 'the probe did not report (the health script was cut short)'
  if (result.exitCode === 124 || result.exitCode === 137) return `${command} timed out`
  if (result.exitCode === 127) return `${command}: command not found`
  return undefined
}

export function formatSeconds(seconds: number): string {
  const whole = Math.round(seconds)
  const abs = Math.abs(whole)
  const human =
    abs >= 86_400
      ? `${(abs / 86_400).toFixed(1)} d`
      : abs >= 3600
        ? `${(abs / 3600).toFixed(1)} h`
        : abs >= 60
          ? `${(abs / 60).toFixed(1)} min`
          : ''
  return human ? `${whole} s (${human})` : `${whole} s`
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`
}
