import type {ClockSample, HostInput, Verdict} from './model.js'

import {fail, pass} from './verdict.js'

export interface ClockOffset {
  /** Node clock minus the operator's, at the moment the node read it (estimated as the middle of the round trip). */
  offsetMs: number
  /** Half the round trip: the node read its clock at some instant inside it. */
  uncertaintyMs: number
}

/** NTP's estimate from one exchange: the node's reading against the midpoint of send and receipt. */
export function clockOffset(sample: ClockSample): ClockOffset {
  return {
    offsetMs: sample.nodeEpochMs - (sample.sentEpochMs + sample.receivedEpochMs) / 2,
    uncertaintyMs: Math.max(0, (sample.receivedEpochMs - sample.sentEpochMs) / 2),
  }
}

const signed = (ms: number) => `${ms >= 0 ? '+' : '-'}${(Math.abs(ms) / 1000).toFixed(3)} s`

/** Fails only when the offset exceeds the threshold even at the most favourable point of the round trip. */
export function clockVerdict({clock, context}: HostInput): Verdict {
  const max = context.settings.clockOffsetMaxSeconds
  const expected = `clock within ${max} s of the operator's (health_clock_offset_max_seconds)`
  if (!clock) return fail('clock_offset', expected, 'the node did not report its clock')
  const {offsetMs, uncertaintyMs} = clockOffset(clock)
  const observed = `${signed(offsetMs)} ± ${(uncertaintyMs / 1000).toFixed(3)} s (node minus operator)`
  return Math.abs(offsetMs) - uncertaintyMs <= max * 1000
    ? pass('clock_offset', expected, observed)
    : fail(
        'clock_offset',
        expected,
        observed,
        'timedatectl timesync-status on the node (and date on this machine); certificates fail when clocks drift',
      )
}
