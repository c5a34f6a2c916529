import type {HostContext, Probe, ProbeResult, Verdict} from './model.js'

import {nodeFqdn} from '../roles/vars.js'
import {
  CertificateFormatError,
  type OpenSshCertificate,
  parseCertificate,
  signatureIsValid,
} from '../transport/host-cert.js'
import {fingerprint, matchPattern} from '../transport/known-hosts.js'
import {WireFormatError} from '../transport/ssh-wire.js'
import {fail, formatSeconds, pass, skip} from './verdict.js'

/** The certificates sshd serves (its HostCertificate files), each as `cert PATH BLOB`, or `cert PATH missing`. */
export const HOST_CERTIFICATES_PROBE: Probe = {
  script: String.raw`for f in $(sshd -T 2>/dev/null | awk '$1 == "hostcertificate" {print $2}'); do
  if [ -f "$f" ]; then printf 'cert %s %s\n' "$f" "$(awk 'NR == 1 {print $2}' "$f")"; else printf 'cert %s missing\n' "$f"; fi
done
true`,
}

export interface HostCertificateFile {
  path: string
  certificate?: OpenSshCertificate
  problem?: string
}

export function parseHostCertificates(result: ProbeResult): HostCertificateFile[] {
  return result.stdout
    .split('\n')
    .filter((line) => line.startsWith('cert '))
    .map((line) => {
      const [, path = '', blob = ''] = line.split(' ')
      if (blob === 'missing') return {path, problem: `${path} does not exist`}
      try {
        return {certificate: parseCertificate(Buffer.from(blob, 'base64')), path}
      } catch (error) {
        if (
          error instanceof CertificateFormatError ||
          error instanceof WireFormatError ||
          error instanceof RangeError
        ) {
          return {path, problem: `${path} is not an OpenSSH certificate (${error.message})`}
        }
        throw error
      }
    })
}

const FOREVER = 0xffffffffffffffffn

/** The names a host certificate must vouch for: the inventory name, its FQDN, or its address. */
function principalsFor(context: HostContext): string[] {
  return [context.host, nodeFqdn(context.host, context.vars), context.address]
}

export function hostCertificateVerdicts(
  files: readonly HostCertificateFile[],
  context: HostContext,
  nowMs: number,
): Verdict[] {
  const expected = `host certificate valid now, signed, for ${context.host}`
  if (files.length === 0)
    return [skip('host_certificate', expected, 'no host certificate (sshd has no HostCertificate)')]
  return files.map((file) => {
    const name = files.length === 1 ? 'host_certificate' : `host_certificate:${file.path.split('/').pop()}`
    const cert = file.certificate
    if (!cert)
      return fail(name, expected, file.problem ?? 'unreadable', 'sign it again: goldentooth setup_ssh_certificates')
    const now = BigInt(Math.floor(nowMs / 1000))
    const remaining = cert.validBefore === FOREVER ? undefined : Number(cert.validBefore - now)
    const extra = remaining === undefined ? {} : {certificateExpirySeconds: remaining}
    const signer = fingerprint(cert.signatureKey)
    const problem =
      cert.certType !== 'host'
        ? `a ${cert.certType} certificate, not a host certificate`
        : !signatureIsValid(cert.signatureKey, cert.signature, cert.signed)
          ? 'its signature is not valid'
          : now < cert.validAfter
            ? `not valid for another ${formatSeconds(Number(cert.validAfter - now))}`
            : remaining !== undefined && remaining <= 0
              ? `expired ${formatSeconds(-remaining)} ago`
              : !principalsFor(context).some((wanted) => cert.principals.some((p) => matchPattern(wanted, p)))
                ? `none of its principals (${cert.principals.join(', ') || 'none'}) names ${context.host}`
                : undefined
    if (problem) {
      return fail(
        name,
        expected,
        `${file.path}: ${problem}`,
        'sign it again: goldentooth setup_ssh_certificates',
        extra,
      )
    }
    const validity = remaining === undefined ? 'valid forever' : `expires in ${formatSeconds(remaining)}`
    return pass(name, expected, `${validity}; principals ${cert.principals.join(', ')}; CA ${signer}`, extra)
  })
}
