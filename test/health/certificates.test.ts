import {describe, expect, it} from 'vitest'

import type {Verdict} from '../../src/health/model.js'

import {certificatesProbe, certificateVerdicts, parseCertificates, renewAfter} from '../../src/health/certificates.js'
import {healthScript, parseScriptOutput} from '../../src/health/script.js'
import {runLocally} from '../engine/local-sh.js'
import {issue, makeCa} from './openssl.js'

const HOUR = 3600_000

/** Run the real certificates probe with the local sh and openssl, then judge every certificate it found. */
function check(
  declared: Array<{name: string; path?: string}>,
  rootPath: string,
  nowMs = Date.now(),
): Map<string, Verdict> {
  const {stdout} = runLocally(healthScript([certificatesProbe(declared, rootPath)]))
  const result = parseScriptOutput(stdout).results.get(0)!
  const verdicts = parseCertificates(result).flatMap((state) =>
    certificateVerdicts(state, {nowMs, renewalGraceSeconds: 900, renewerMaxAgeSeconds: 900, rootPath}),
  )
  return new Map(verdicts.map((verdict) => [verdict.name, verdict]))
}

describe('certificates, with real certificates and openssl', () => {
  const ca = makeCa()
  const now = Date.now()
  const fresh = issue(ca, 'fresh', new Date(now - 60_000), new Date(now + 24 * HOUR))
  const ripe = issue(ca, 'ripe', new Date(now - 23 * HOUR), new Date(now + HOUR))
  const expired = issue(ca, 'expired', new Date(now - 30 * HOUR), new Date(now - 6 * HOUR))
  const stranger = issue(makeCa('some other root'), 'stranger', new Date(now - 60_000), new Date(now + 24 * HOUR))

  const verdicts = check(
    [
      {name: 'fresh', path: fresh},
      {name: 'ripe', path: ripe},
      {name: 'expired', path: expired},
      {name: 'stranger', path: stranger},
      {name: 'gone', path: `${ca.dir}/gone.crt`},
    ],
    ca.cert,
    now,
  )

  it('a fresh certificate is present, valid with its seconds left and its chain verified, outside its renewal window', () => {
    expect(verdicts.get('fresh:present')).toMatchObject({status: 'pass'})
    const valid = verdicts.get('fresh:valid')!
    expect(valid.status).toBe('pass')
    expect(valid.certificateExpirySeconds).toBeGreaterThan(24 * 3600 - 120)
    expect(valid.certificateExpirySeconds).toBeLessThanOrEqual(24 * 3600)
    expect(valid.observed).toContain(`chain verified against ${ca.cert}`)
    expect(verdicts.get('fresh:renewal')).toMatchObject({status: 'pass'})
    expect(verdicts.get('fresh:renewal')!.observed).toMatch(/^renewal window opens in \d+ s \(15\.\d h\)$/)
  })

  it('a certificate still valid for an hour is valid, and separately overdue in its renewal window', () => {
    expect(verdicts.get('ripe:valid')).toMatchObject({status: 'pass'})
    expect(verdicts.get('ripe:valid')!.certificateExpirySeconds).toBeGreaterThan(3500)
    const renewal = verdicts.get('ripe:renewal')!
    expect(renewal.status).toBe('fail')
    expect(renewal.observed).toMatch(/^inside its renewal window for \d+ s \(7\.\d h\): not renewed$/)
    expect(renewal.hint).toContain('cert-renewer@ripe.service')
  })

  it('expired, signed by another CA, or missing: each fails with what to do', () => {
    expect(verdicts.get('expired:valid')).toMatchObject({status: 'fail'})
    expect(verdicts.get('expired:valid')!.observed).toMatch(/^expired \d+ s \(6\.0 h\) ago/)
    expect(verdicts.get('expired:valid')!.certificateExpirySeconds).toBeLessThan(-6 * 3600 + 120)
    expect(verdicts.get('stranger:valid')).toMatchObject({status: 'fail'})
    expect(verdicts.get('stranger:valid')!.observed).toContain('chain does not verify')
    expect(verdicts.get('gone:present')).toMatchObject({
      observed: `no certificate at ${ca.dir}/gone.crt`,
      status: 'fail',
    })
    expect(verdicts.has('gone:valid')).toBe(false)
  })

  it('without a cert-renewer@ timer installed, every certificate says so', () => {
    for (const name of ['fresh', 'ripe', 'expired', 'stranger', 'gone']) {
      expect(verdicts.get(`${name}:renewer`)).toMatchObject({
        observed: `cert-renewer@${name}.timer is not installed`,
        status: 'fail',
      })
    }
  })

  it('without the cluster root on the host, the chain is reported as not checked', () => {
    const unchecked = check([{name: 'fresh', path: fresh}], `${ca.dir}/no-root.pem`)
    expect(unchecked.get('fresh:valid')).toMatchObject({status: 'pass'})
    expect(unchecked.get('fresh:valid')!.observed).toContain('chain not checked')
  })

  it("reads the renewal threshold from the unit's environment or its drop-in (where % is written %%)", () => {
    const state = {
      dropins: '',
      name: 'x',
      path: '',
      service: new Map<string, string>(),
      timer: new Map<string, string>(),
    }
    expect(renewAfter(state)).toBe(0.66)
    expect(renewAfter({...state, dropins: '[Service]\nEnvironment=EXPIRES_IN_THRESHOLD=50%%\n'})).toBe(0.5)
    expect(
      renewAfter({...state, service: new Map([['Environment', 'STEPPATH=/root/.step EXPIRES_IN_THRESHOLD=75%']])}),
    ).toBe(0.75)
  })
})
