import {createPublicKey, verify, type KeyObject} from 'node:crypto'

import {fingerprint, matchPattern} from './known-hosts.js'
import {SshReader, sshString, WireFormatError} from './ssh-wire.js'

/** An OpenSSH certificate (PROTOCOL.certkeys). */
export interface OpenSshCertificate {
  /** The plain public key blob the certificate certifies. */
  publicKey: Buffer
  serial: bigint
  certType: 'user' | 'host' | 'unknown'
  keyId: string
  principals: string[]
  validAfter: bigint
  validBefore: bigint
  criticalOptions: string[]
  /** The CA's public key blob. */
  signatureKey: Buffer
  signature: Buffer
  /** The bytes the signature covers: everything before the signature field. */
  signed: Buffer
}

export class CertificateFormatError extends Error {}

const KEY_FIELDS: Record<string, number> = {
  'ssh-ed25519': 1,
  'ecdsa-sha2-nistp256': 2,
  'ecdsa-sha2-nistp384': 2,
  'ecdsa-sha2-nistp521': 2,
  'ssh-rsa': 2,
}

/** Parse one certificate blob (the base64-decoded second field of a `*-cert.pub` line). */
export function parseCertificate(blob: Buffer): OpenSshCertificate {
  const reader = new SshReader(blob)
  try {
    const type = reader.text()
    const plainType = type.replace(/-cert-v01@openssh\.com$/, '')
    const fieldCount = KEY_FIELDS[plainType]
    if (plainType === type || fieldCount === undefined)
      throw new CertificateFormatError(`unsupported certificate type ${type}`)
    reader.string()
    const keyStart = reader.offset
    for (let i = 0; i < fieldCount; i++) reader.string()
    const publicKey = Buffer.concat([sshString(plainType), blob.subarray(keyStart, reader.offset)])
    const serial = reader.uint64()
    const typeCode = reader.uint32()
    const keyId = reader.text()
    const principals = readStringList(reader.string())
    const validAfter = reader.uint64()
    const validBefore = reader.uint64()
    const criticalOptions = readOptionNames(reader.string())
    reader.string()
    reader.string()
    const signatureKey = reader.string()
    const signed = blob.subarray(0, reader.offset)
    const signature = reader.string()
    if (!reader.atEnd()) throw new CertificateFormatError('trailing data after the signature')
    const certType = typeCode === 1 ? 'user' : typeCode === 2 ? 'host' : 'unknown'
    return {
      publicKey,
      serial,
      certType,
      keyId,
      principals,
      validAfter,
      validBefore,
      criticalOptions,
      signatureKey,
      signature,
      signed,
    }
  } catch (err) {
    if (err instanceof WireFormatError) throw new CertificateFormatError(`malformed certificate: ${err.message}`)
    throw err
  }
}

function readStringList(buf: Buffer): string[] {
  const reader = new SshReader(buf)
  const values: string[] = []
  while (!reader.atEnd()) values.push(reader.text())
  return values
}

function readOptionNames(buf: Buffer): string[] {
  const reader = new SshReader(buf)
  const names: string[] = []
  while (!reader.atEnd()) {
    names.push(reader.text())
    reader.string()
  }
  return names
}

export interface HostCertificateCheck {
  /** The key the server proved it holds during the key exchange. */
  hostKey: Buffer
  /** HostKeyAlias, else the address ssh connects to. */
  principal: string
  /** CA keys from the @cert-authority lines that match the host. */
  authorities: readonly Buffer[]
  revoked: readonly Buffer[]
  now: Date
}

/** Why the certificate does not vouch for this host, or undefined when it does. */
export function hostCertificateProblem(cert: OpenSshCertificate, check: HostCertificateCheck): string | undefined {
  if (cert.certType !== 'host') return `it is a ${cert.certType} certificate, not a host certificate`
  if (!cert.publicKey.equals(check.hostKey))
    return `it certifies ${fingerprint(cert.publicKey)}, not the key the host presented (${fingerprint(check.hostKey)})`
  if (check.revoked.some((key) => key.equals(cert.signatureKey)))
    return `its CA key ${fingerprint(cert.signatureKey)} is marked @revoked`
  if (!check.authorities.some((key) => key.equals(cert.signatureKey)))
    return `it is signed by ${fingerprint(cert.signatureKey)}, which is not a @cert-authority for ${check.principal}`
  if (!signatureIsValid(cert.signatureKey, cert.signature, cert.signed)) return 'its signature is not valid'
  const now = BigInt(Math.floor(check.now.getTime() / 1000))
  if (now < cert.validAfter) return `it is not valid before ${secondsToIso(cert.validAfter)}`
  if (now >= cert.validBefore) return `it expired at ${secondsToIso(cert.validBefore)}`
  if (cert.criticalOptions.length > 0)
    return `it has critical options a host certificate cannot have (${cert.criticalOptions.join(', ')})`
  if (!cert.principals.some((principal) => matchPattern(check.principal, principal)))
    return `none of its principals (${cert.principals.join(', ') || 'none'}) is ${check.principal}`
  return undefined
}

function secondsToIso(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString()
}

const ECDSA = {
  'ecdsa-sha2-nistp256': {curve: 'P-256', hash: 'sha256', size: 32},
  'ecdsa-sha2-nistp384': {curve: 'P-384', hash: 'sha384', size: 48},
  'ecdsa-sha2-nistp521': {curve: 'P-521', hash: 'sha512', size: 66},
} as const

const RSA_HASHES: Record<string, string> = {'rsa-sha2-256': 'sha256', 'rsa-sha2-512': 'sha512'}

/**
 * Verify an SSH signature blob (string algorithm, string signature) over `data` with an SSH public key blob. RSA
 * signatures must use SHA-2, as OpenSSH's default CASignatureAlgorithms requires.
 */
export function signatureIsValid(keyBlob: Buffer, signatureBlob: Buffer, data: Buffer): boolean {
  try {
    const key = new SshReader(keyBlob)
    const keyType = key.text()
    const sig = new SshReader(signatureBlob)
    const algorithm = sig.text()
    const bytes = sig.string()
    if (keyType === 'ssh-ed25519') {
      if (algorithm !== keyType) return false
      return verify(null, data, jwk({kty: 'OKP', crv: 'Ed25519', x: base64url(key.string())}), bytes)
    }
    if (keyType in ECDSA) {
      const {curve, hash, size} = ECDSA[keyType as keyof typeof ECDSA]
      if (algorithm !== keyType) return false
      key.string()
      const point = key.string()
      if (point[0] !== 4 || point.length !== 1 + 2 * size) return false
      const rs = new SshReader(bytes)
      const signature = Buffer.concat([fixedWidth(rs.string(), size), fixedWidth(rs.string(), size)])
      const publicKey = jwk({
        kty: 'EC',
        crv: curve,
        x: base64url(point.subarray(1, 1 + size)),
        y: base64url(point.subarray(1 + size)),
      })
      return verify(hash, data, {key: publicKey, dsaEncoding: 'ieee-p1363'}, signature)
    }
    if (keyType === 'ssh-rsa') {
      const hash = RSA_HASHES[algorithm]
      if (!hash) return false
      const e = key.string()
      const n = key.string()
      return verify(hash, data, jwk({kty: 'RSA', e: base64url(unsigned(e)), n: base64url(unsigned(n))}), bytes)
    }
    return false
  } catch (err) {
    if (err instanceof WireFormatError || (err instanceof Error && 'code' in err)) return false
    throw err
  }
}

function jwk(key: Record<string, string>): KeyObject {
  return createPublicKey({key, format: 'jwk'})
}

function base64url(bytes: Buffer): string {
  return bytes.toString('base64url')
}

function unsigned(mpint: Buffer): Buffer {
  let start = 0
  while (start < mpint.length - 1 && mpint[start] === 0) start++
  return mpint.subarray(start)
}

function fixedWidth(mpint: Buffer, size: number): Buffer {
  const bytes = unsigned(mpint)
  if (bytes.length > size) throw new WireFormatError('ECDSA signature component too long')
  return Buffer.concat([Buffer.alloc(size - bytes.length), bytes])
}
