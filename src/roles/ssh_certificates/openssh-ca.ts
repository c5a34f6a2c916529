import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import type {SecretSpec} from '../../engine/secrets.js'

import {RunError} from '../../core/errors.js'
import {fileError} from '../../state/file-errors.js'
import {CertificateFormatError, parseCertificate} from '../../transport/host-cert.js'

/**
 * An SSH certificate authority whose private key lives in the operator's secret store (state dir, 0600) and signs
 * with OpenSSH's own `ssh-keygen -s`: SSH certificates without step-ca.
 */

const ELSEWHERE = 'or point TMPDIR at a writable directory'

/** A private scratch directory (0700) for ssh-keygen's files; a full or read-only temporary directory is a RunError. */
function inTemporaryDir<T>(work: (dir: string) => T): T {
  const scratch = path.join(os.tmpdir(), 'goldentooth-ssh-ca-')
  let dir: string
  try {
    dir = mkdtempSync(scratch)
  } catch (error) {
    throw fileError(error, scratch, {elsewhere: ELSEWHERE})
  }
  try {
    return work(dir)
  } finally {
    rmSync(dir, {force: true, recursive: true})
  }
}

function sshKeygen(args: string[]): string {
  try {
    return execFileSync('ssh-keygen', args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})
  } catch (error) {
    const detail = (error as {stderr?: string}).stderr?.trim() || (error as Error).message
    throw new RunError(`ssh-keygen failed: ${detail}`, 'install openssh-client on this machine')
  }
}

const OPENSSH_PRIVATE_KEY =
  /^-----BEGIN OPENSSH PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END OPENSSH PRIVATE KEY-----\n?$/

/** A CA key pair generated once into the secret store: the private key in OpenSSH format. */
export function caSecret(name: string, comment: string): SecretSpec {
  return {
    description: `SSH CA key (${comment})`,
    generate: () =>
      inTemporaryDir((dir) => {
        const key = path.join(dir, 'ca')
        sshKeygen(['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', key])
        return readFileSync(key)
      }),
    name,
    problem: (value) =>
      OPENSSH_PRIVATE_KEY.test(value.toString('utf8')) ? undefined : 'is not an OpenSSH private key',
    replacing:
      'every certificate it signed is then signed again by the new CA; trust a new host CA with goldentooth ssh trust',
  }
}

export const SSH_CA_SECRETS = {
  host: caSecret('ssh_host_ca', 'goldentooth-ssh-host-ca'),
  user: caSecret('ssh_user_ca', 'goldentooth-ssh-user-ca'),
}

function writeScratch(file: string, content: Buffer | string): string {
  try {
    writeFileSync(file, content, {mode: 0o600})
  } catch (error) {
    throw fileError(error, file, {elsewhere: ELSEWHERE})
  }
  return file
}

/** `ssh-ed25519 AAAA… comment` of a private key. */
export function publicKeyOf(privateKey: Buffer): string {
  return inTemporaryDir((dir) => sshKeygen(['-y', '-f', writeScratch(path.join(dir, 'ca'), privateKey)]).trim())
}

export interface SigningRequest {
  /** Host certificate (-h) or user certificate. */
  host: boolean
  /** Key ID (-I). */
  identity: string
  lifetimeSeconds: number
  principals: string[]
  /** The public key line to certify. */
  publicKey: string
}

/** Sign a public key with the CA: the `*-cert.pub` line. The CA key touches disk only in a private temporary dir. */
export function signCertificate(caPrivateKey: Buffer, request: SigningRequest): string {
  return inTemporaryDir((dir) => {
    const ca = writeScratch(path.join(dir, 'ca'), caPrivateKey)
    const key = writeScratch(path.join(dir, 'key.pub'), `${request.publicKey.trim()}\n`)
    sshKeygen([
      '-q',
      '-s',
      ca,
      '-I',
      request.identity,
      ...(request.host ? ['-h'] : []),
      '-n',
      request.principals.join(','),
      '-V',
      `-5m:+${Math.round(request.lifetimeSeconds)}s`,
      key,
    ])
    return readFileSync(path.join(dir, 'key-cert.pub'), 'utf8')
  })
}

function keyBlob(line: string): Buffer | undefined {
  const base64 = line.trim().split(/\s+/)[1]
  return base64 ? Buffer.from(base64, 'base64') : undefined
}

export interface CurrentCheck {
  caPublicKey: string
  host: boolean
  /** Epoch seconds now. */
  now: number
  principals: readonly string[]
  publicKey: string
  /** Re-sign when less than this much validity is left. */
  renewWithinSeconds: number
}

/**
 * Why an existing certificate must be replaced (another key, CA, type or principals, not valid yet, or inside the
 * renewal window), or undefined when it is still good.
 */
export function replacementReason(certificate: string | undefined, check: CurrentCheck): string | undefined {
  if (certificate === undefined || certificate.trim() === '') return 'no certificate yet'
  const blob = keyBlob(certificate)
  if (!blob) return 'the certificate file is not a certificate'
  let cert
  try {
    cert = parseCertificate(blob)
  } catch (error) {
    if (error instanceof CertificateFormatError) return `the certificate cannot be read (${error.message})`
    throw error
  }
  if (!cert.signatureKey.equals(keyBlob(check.caPublicKey) ?? Buffer.alloc(0))) return 'it is signed by another CA'
  if (!cert.publicKey.equals(keyBlob(check.publicKey) ?? Buffer.alloc(0))) return 'it certifies another key'
  if (cert.certType !== (check.host ? 'host' : 'user')) return `it is a ${cert.certType} certificate`
  const wanted = [...check.principals].sort().join(',')
  if ([...cert.principals].sort().join(',') !== wanted) return `its principals are ${cert.principals.join(',')}`
  const now = BigInt(Math.floor(check.now))
  if (now < cert.validAfter) return 'it is not valid yet'
  const left = Number(cert.validBefore - now)
  if (left <= check.renewWithinSeconds) return left <= 0 ? 'it has expired' : 'it is due for renewal'
  return undefined
}
