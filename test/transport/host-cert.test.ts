import {execFileSync} from 'node:child_process'
import {copyFileSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {hostCertificateProblem, parseCertificate, type HostCertificateCheck} from '../../src/transport/host-cert.js'

const dir = mkdtempSync(join(tmpdir(), 'gt-host-cert-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

function keygen(name: string, type: string): Buffer {
  const path = join(dir, name)
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', '', '-f', path], {stdio: 'pipe'})
  return publicBlob(`${path}.pub`)
}

function publicBlob(file: string): Buffer {
  return Buffer.from(readFileSync(file, 'utf8').trim().split(/\s+/)[1] as string, 'base64')
}

let serial = 0
/** Sign a copy of `key`'s public half with `ca` through ssh-keygen, return the certificate blob. */
function sign(key: string, ca: string, args: string[]): Buffer {
  const copy = join(dir, `${key}-${++serial}`)
  copyFileSync(join(dir, `${key}.pub`), `${copy}.pub`)
  execFileSync('ssh-keygen', ['-q', '-s', join(dir, ca), '-I', `cert-${serial}`, ...args, `${copy}.pub`], {
    stdio: 'pipe',
  })
  return publicBlob(`${copy}-cert.pub`)
}

const hostKey = keygen('host', 'ed25519')
/** A second host key: the certificate "for another key" certifies it. */
keygen('other', 'ed25519')
const caKeys = {
  ed25519: keygen('ca-ed25519', 'ed25519'),
  ecdsa: keygen('ca-ecdsa', 'ecdsa'),
  rsa: keygen('ca-rsa', 'rsa'),
}
const wrongCa = keygen('ca-wrong', 'ed25519')

const base: HostCertificateCheck = {
  hostKey,
  principal: '10.0.0.5',
  authorities: Object.values(caKeys),
  revoked: [],
  now: new Date(),
}

const hostCert = (extra: string[] = [], ca = 'ca-ed25519', key = 'host') =>
  parseCertificate(sign(key, ca, ['-h', '-n', '10.0.0.5,node5', '-V', '-5m:+1h', ...extra]))

describe('host certificates', () => {
  it('parses what ssh-keygen writes', () => {
    const cert = hostCert(['-z', '42'])
    expect(cert).toMatchObject({certType: 'host', serial: 42n, principals: ['10.0.0.5', 'node5'], criticalOptions: []})
    expect(cert.publicKey.equals(hostKey)).toBe(true)
    expect(cert.signatureKey.equals(caKeys['ed25519'])).toBe(true)
  })

  it.each(['ed25519', 'ecdsa', 'rsa'])('accepts a valid certificate from a %s CA', (type) => {
    expect(hostCertificateProblem(hostCert([], `ca-${type}`), base)).toBeUndefined()
  })

  it('accepts a principal pattern that matches', () => {
    const cert = parseCertificate(sign('host', 'ca-ed25519', ['-h', '-n', '10.0.0.*', '-V', '-5m:+1h']))
    expect(hostCertificateProblem(cert, base)).toBeUndefined()
  })

  it.each([
    ['an untrusted CA', () => hostCert(), {authorities: [wrongCa]}, /not a @cert-authority for 10\.0\.0\.5/],
    ['a revoked CA', () => hostCert(), {revoked: [caKeys['ed25519']]}, /marked @revoked/],
    ['an expired certificate', () => hostCert(['-V', '20200101:20200102']), {}, /expired at 2020-01-02/],
    ['a certificate not yet valid', () => hostCert(['-V', '+1d:+2d']), {}, /not valid before/],
    [
      'a certificate for another key',
      () => hostCert([], 'ca-ed25519', 'other'),
      {},
      /certifies SHA256:.*, not the key/,
    ],
    ['another principal', () => hostCert(['-n', 'node6']), {}, /none of its principals \(node6\) is 10\.0\.0\.5/],
    ['no principals at all', () => parseCertificate(sign('host', 'ca-ed25519', ['-h'])), {}, /principals \(none\)/],
    ['a user certificate', () => parseCertificate(sign('host', 'ca-ed25519', ['-n', 'root'])), {}, /user certificate/],
    ['a SHA-1 RSA signature', () => hostCert(['-t', 'ssh-rsa'], 'ca-rsa'), {}, /signature is not valid/],
  ])('rejects %s', (_, make, override, reason) => {
    expect(hostCertificateProblem(make(), {...base, ...override})).toMatch(reason)
  })

  it('rejects a certificate whose signed bytes were altered', () => {
    const blob = sign('host', 'ca-ed25519', ['-h', '-n', '10.0.0.5', '-V', '-5m:+1h'])
    const cert = parseCertificate(blob)
    const keyIdAt = blob.lastIndexOf(Buffer.from('cert-'))
    const tampered = Buffer.from(blob)
    tampered[keyIdAt] = 'C'.charCodeAt(0)
    expect(hostCertificateProblem(cert, base)).toBeUndefined()
    expect(hostCertificateProblem(parseCertificate(tampered), base)).toBe('its signature is not valid')
  })

  it('rejects malformed blobs with a format error', () => {
    const blob = sign('host', 'ca-ed25519', ['-h', '-n', 'x'])
    expect(() => parseCertificate(blob.subarray(0, blob.length - 10))).toThrow(/malformed certificate/)
    expect(() => parseCertificate(hostKey)).toThrow(/unsupported certificate type ssh-ed25519/)
  })
})
