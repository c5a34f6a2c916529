import {describe, expect, it} from 'vitest'

import {
  expiresInPercent,
  formatDuration,
  parseDuration,
  renewalProblem,
} from '../../../../src/roles/shared/pki/renewal.js'

const renewer = {intervalSeconds: 300, jitterSeconds: 60}

describe('renewal arithmetic', () => {
  it('parses the durations the inventory and step use', () => {
    expect(parseDuration('24h')).toBe(86_400)
    expect(parseDuration('15m')).toBe(900)
    expect(parseDuration('1h30m')).toBe(5400)
    expect(parseDuration('168h')).toBe(604_800)
    expect(parseDuration('7d')).toBe(604_800)
    expect(parseDuration(90)).toBe(90)
    expect(parseDuration('90')).toBe(90)
    expect(parseDuration('1 day')).toBeUndefined()
    expect(parseDuration('')).toBeUndefined()
    expect(formatDuration(29_376)).toBe('8h9m')
    expect(formatDuration(1080)).toBe('18m')
    expect(formatDuration(450)).toBe('7m30s')
  })

  it('rejects the original canary: 15 min at 50% on a 5-min timer with 1-min jitter, with the numbers', () => {
    const problem = renewalProblem({lifetimeSeconds: 900, name: 'cert-canary', renewWhenLeft: 0.5, timer: renewer})
    expect(problem).toBe(
      'cert-canary: a 15m certificate renewed with 50% of its lifetime left has a 7m30s renewal window, but 3 timer ' +
        'firings (every 5m + up to 1m jitter) need 18m: it can expire while everything looks healthy (lengthen the ' +
        'lifetime, renew earlier, or run the timer more often)',
    )
  })

  it('accepts 24 h service certificates renewed at 66% on the 5-min timer, and the 168 h maximum', () => {
    expect(
      renewalProblem({lifetimeSeconds: 86_400, name: 'vault', renewWhenLeft: 0.34, timer: renewer}),
    ).toBeUndefined()
    expect(
      renewalProblem({lifetimeSeconds: 604_800, name: 'blackbox', renewWhenLeft: 0.34, timer: renewer}),
    ).toBeUndefined()
  })

  it('puts the boundary exactly at 3 × (interval + jitter)', () => {
    const at = (lifetimeSeconds: number) =>
      renewalProblem({lifetimeSeconds, name: 'x', renewWhenLeft: 0.5, timer: renewer})
    expect(at(2160)).toBeUndefined()
    expect(at(2159)).toMatch(/need 18m/)
  })

  it('rejects thresholds outside (0, 1)', () => {
    expect(renewalProblem({lifetimeSeconds: 86_400, name: 'x', renewWhenLeft: 0, timer: renewer})).toMatch(/between 0%/)
    expect(renewalProblem({lifetimeSeconds: 86_400, name: 'x', renewWhenLeft: 1, timer: renewer})).toMatch(/between 0%/)
  })

  it("speaks step's --expires-in: the share used, not the share left", () => {
    expect(expiresInPercent(0.34)).toBe('66%')
    expect(expiresInPercent(0.5)).toBe('50%')
  })
})
