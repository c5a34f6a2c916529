import type {ClusterCheck, HostCheck, Suite} from '../model.js'

import {fingerprint} from '../../transport/known-hosts.js'
import {HOST_CERTIFICATES_PROBE, hostCertificateVerdicts, parseHostCertificates} from '../ssh-certificates.js'
import {unitCheck} from '../units.js'
import {fail, pass, probeProblem, skip} from '../verdict.js'

const hostCertificate: HostCheck = {
  evaluate: ({context, nowMs, result}) => {
    const problem = probeProblem(result, 'sshd -T')
    if (problem || !result) return [fail('host_certificate', 'host certificate checked', problem ?? 'no result')]
    return hostCertificateVerdicts(parseHostCertificates(result), context, nowMs)
  },
  groups: ['all'],
  name: 'host_certificate',
  probe: () => HOST_CERTIFICATES_PROBE,
  summary:
    'The host certificate sshd serves: signed, valid now (seconds left), naming the host; skipped when there is none',
}

const oneCa: ClusterCheck = {
  collectFrom: ['all'],
  evaluate: (collected) => {
    const expected = 'every host certificate signed by the same CA'
    const byCa = new Map<string, string[]>()
    for (const {host, result} of collected) {
      if (!result || result.exitCode !== 0) continue
      for (const file of parseHostCertificates(result)) {
        if (!file.certificate) continue
        const ca = fingerprint(file.certificate.signatureKey)
        byCa.set(ca, [...(byCa.get(ca) ?? []), host])
      }
    }
    if (byCa.size === 0) return [skip('host_ca', expected, 'no host has a host certificate')]
    const groups = [...byCa].map(([ca, hosts]) => `${ca}: ${[...new Set(hosts)].join(',')}`)
    return byCa.size === 1
      ? [pass('host_ca', expected, groups[0]!)]
      : [
          fail(
            'host_ca',
            expected,
            groups.join('; '),
            'sign every host key with the cluster SSH host CA: goldentooth setup_ssh_certificates',
          ),
        ]
  },
  name: 'host_ca',
  probe: () => HOST_CERTIFICATES_PROBE,
  summary: 'All host certificates in the cluster come from one CA',
}

/** `reachable` is reported by the runner (it is the SSH connection itself), listed here for `test list`. */
export const REACHABLE = {name: 'reachable', summary: 'The host accepts an SSH connection and runs the health script'}

export const SSH: Suite = {
  clusterChecks: [oneCa],
  hostChecks: [unitCheck('ssh', ['all'], [], 'sshd (ssh.service) is active and enabled'), hostCertificate],
  name: 'ssh',
  summary: 'Reachability, sshd, and SSH host certificates (when sshd serves one), on every host.',
}
