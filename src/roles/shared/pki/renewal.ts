/**
 * Renewal arithmetic: a certificate renewed by a timer must leave the timer room to fire several times (jitter
 * included) between the renewal threshold and expiry, or it can expire while every unit looks healthy.
 */

/** How often a renewal timer looks at a certificate, at worst. */
export interface RenewalTimer {
  /** The timer's period in seconds (OnCalendar=*:1/5 is 300). */
  intervalSeconds: number
  /** RandomizedDelaySec in seconds. */
  jitterSeconds: number
}

export interface RenewalCase {
  lifetimeSeconds: number
  name: string
  /** Share of the lifetime left when renewal starts (0.34 for step's default of 66% used). */
  renewWhenLeft: number
  timer: RenewalTimer
}

/** Timer firings (each up to interval + jitter apart) that must fit between the threshold and expiry. */
export const MIN_FIRINGS = 3

const UNITS: Record<string, number> = {d: 86_400, h: 3600, m: 60, ms: 0.001, s: 1}

/** `24h`, `15m`, `1h30m`, `90s`, `7d`, or a bare number of seconds; undefined when it is none of those. */
export function parseDuration(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : undefined
  const trimmed = text.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed)
  if (!/^(\d+(\.\d+)?(ms|d|h|m|s))+$/.test(trimmed)) return undefined
  let seconds = 0
  for (const [, value, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|d|h|m|s)/g)) {
    seconds += Number(value) * UNITS[unit as string]!
  }
  return seconds
}

/** `8h10m`, `5m6s`, `18m`: the largest two units that say it. */
export function formatDuration(seconds: number): string {
  const whole = Math.round(seconds)
  if (whole < 60) return `${whole}s`
  const parts: Array<[number, string]> = [
    [Math.floor(whole / 86_400), 'd'],
    [Math.floor((whole % 86_400) / 3600), 'h'],
    [Math.floor((whole % 3600) / 60), 'm'],
    [whole % 60, 's'],
  ]
  const first = parts.findIndex(([value]) => value > 0)
  return parts
    .slice(first, first + 2)
    .filter(([value]) => value > 0)
    .map(([value, unit]) => `${value}${unit}`)
    .join('')
}

/** The share of a lifetime that must have passed before renewal, as step's `--expires-in` percentage. */
export function expiresInPercent(renewWhenLeft: number): string {
  return `${Math.round((1 - renewWhenLeft) * 100)}%`
}

/** Why this certificate can expire although its timer runs, with the numbers; undefined when it cannot. */
export function renewalProblem(renewal: RenewalCase): string | undefined {
  const {lifetimeSeconds, name, renewWhenLeft, timer} = renewal
  if (!(renewWhenLeft > 0 && renewWhenLeft < 1))
    return `${name}: the renewal threshold must leave between 0% and 100% of the lifetime, not ${renewWhenLeft * 100}%`
  const window = lifetimeSeconds * renewWhenLeft
  const gap = timer.intervalSeconds + timer.jitterSeconds
  const needed = MIN_FIRINGS * gap
  if (window >= needed) return undefined
  return (
    `${name}: a ${formatDuration(lifetimeSeconds)} certificate renewed with ${Math.round(renewWhenLeft * 100)}% of ` +
    `its lifetime left has a ${formatDuration(window)} renewal window, but ${MIN_FIRINGS} timer firings ` +
    `(every ${formatDuration(timer.intervalSeconds)} + up to ${formatDuration(timer.jitterSeconds)} jitter) need ` +
    `${formatDuration(needed)}: it can expire while everything looks healthy ` +
    `(lengthen the lifetime, renew earlier, or run the timer more often)`
  )
}
