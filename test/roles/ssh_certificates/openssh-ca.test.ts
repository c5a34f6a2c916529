import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import {
  caSecret,
  publicKeyOf,
  replacementReason,
  signCertificate,
} from '../../../src/roles/ssh_certificates/openssh-ca.js'

const dir = mkdtempSync(path.join(os.tmpdir(), 'gt-openssh-ca-'))
afterAll(() => rmSync(dir, {force: true, recursive: true}))

function hostKey(): string {
  const file = path.join(dir, `key-${Math.random().toString(36).slice(2)}`)
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file])
  return readFileSync(`${file}.pub`, 'utf8')
}

describe('the OpenSSH CA in the secret store', () => {
  const ca = caSecret('ssh_host_ca', 'test-host-ca').generate()
  const caPublicKey = publicKeyOf(ca)
  const publicKey = hostKey()
  const principals = ['lab1', '10.77.0.11']
  const now = Date.now() / 1000
  const check = {caPublicKey, host: true, now, principals, publicKey, renewWithinSeconds: 8 * 3600}
  const certificate = signCertificate(ca, {
    host: true,
    identity: 'lab1',
    lifetimeSeconds: 86_400,
    principals,
    publicKey,
  })

  it('signs a host certificate that ssh-keygen reads back', () => {
    const file = path.join(dir, 'host-cert.pub')
    execFileSync('sh', ['-c', `cat > ${file}`], {input: certificate})
    const listing = execFileSync('ssh-keygen', ['-L', '-f', file], {encoding: 'utf8'})
    expect(listing).toContain('host certificate')
    expect(listing).toMatch(/Key ID: "lab1"/)
    expect(listing).toMatch(/Principals:\s+lab1\s+10\.77\.0\.11/)
    expect(caPublicKey).toMatch(/^ssh-ed25519 \S+ test-host-ca$/)
  })

  it('keeps a certificate that is valid and outside its renewal window', () => {
    expect(replacementReason(certificate, check)).toBeUndefined()
  })

  it('replaces it when the principals, key, CA or type differ, or inside the renewal window', () => {
    expect(replacementReason(undefined, check)).toBe('no certificate yet')
    expect(replacementReason(certificate, {...check, principals: ['lab1']})).toBe('its principals are lab1,10.77.0.11')
    expect(replacementReason(certificate, {...check, publicKey: hostKey()})).toBe('it certifies another key')
    expect(
      replacementReason(certificate, {...check, caPublicKey: publicKeyOf(caSecret('x', 'other').generate())}),
    ).toBe('it is signed by another CA')
    expect(replacementReason(certificate, {...check, host: false})).toBe('it is a host certificate')
    expect(replacementReason(certificate, {...check, now: now + 17 * 3600})).toBe('it is due for renewal')
    expect(replacementReason(certificate, {...check, now: now + 25 * 3600})).toBe('it has expired')
    expect(replacementReason('ssh-ed25519 AAAA garbage', check)).toMatch(/cannot be read/)
  })
})
