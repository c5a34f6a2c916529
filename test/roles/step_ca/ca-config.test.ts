import {describe, expect, it} from 'vitest'

import {withAuthorityClaims} from '../../../src/roles/step_ca/ca-config.js'

const claims = {allowRenewalAfterExpiry: true, maxTLSCertDuration: '168h'}

describe('ca.json claims', () => {
  it('sets the claims and keeps everything else', () => {
    const text = JSON.stringify({
      address: ':9443',
      authority: {claims: {minTLSCertDuration: '5m'}, provisioners: [{name: 'default'}]},
    })
    const updated = JSON.parse(withAuthorityClaims(text, claims)) as {
      address: string
      authority: Record<string, unknown>
    }
    expect(updated.address).toBe(':9443')
    expect(updated.authority).toEqual({
      claims: {minTLSCertDuration: '5m', ...claims},
      provisioners: [{name: 'default'}],
    })
  })

  it('returns the text untouched when the claims are already so (no rewrite, no restart)', () => {
    const text = '{"authority": {"claims": {"maxTLSCertDuration": "168h", "allowRenewalAfterExpiry": true}}}'
    expect(withAuthorityClaims(text, claims)).toBe(text)
  })

  it('refuses a file that is not a step-ca configuration', () => {
    expect(() => withAuthorityClaims('{"root": "x"}', claims)).toThrow(/no "authority"/)
    expect(() => withAuthorityClaims('not json', claims)).toThrow()
  })
})
