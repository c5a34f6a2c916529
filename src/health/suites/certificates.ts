import type {HostCheck, HostContext, Suite} from '../model.js'
import type {SuiteName} from '../suite-names.js'
import type {DeclaredCertificate} from '../settings.js'

import {certificatesProbe, certificateVerdicts, parseCertificates} from '../certificates.js'
import {installedRootPath} from '../service-vars.js'
import {fail, probeProblem, skip} from '../verdict.js'

/** Services whose role installs cert-renewer@<name> on every host of their groups (a 24h step-ca certificate). */
export const SERVICE_CERTIFICATES: ReadonlyArray<{groups: readonly string[]; name: string; suite: SuiteName}> = [
  {groups: ['consul'], name: 'consul', suite: 'consul'},
  {groups: ['vault'], name: 'vault', suite: 'vault'},
  {groups: ['nomad'], name: 'nomad', suite: 'nomad'},
  {groups: ['seaweedfs'], name: 'seaweedfs', suite: 'seaweedfs'},
]

/** The certificates a host must have: its services' (unless their suite is skipped here) and the inventory's. */
export function expectedCertificates(context: HostContext): DeclaredCertificate[] {
  const groups = new Set(context.inventory.groupNames(context.host))
  const services = SERVICE_CERTIFICATES.filter(
    (service) =>
      service.groups.some((group) => groups.has(group)) && !context.settings.skipSuites.includes(service.suite),
  ).map((service) => ({name: service.name}))
  const declared = context.settings.certificates
  return [...services.filter((service) => !declared.some((d) => d.name === service.name)), ...declared]
}

const certificates: HostCheck = {
  evaluate: ({context, nowMs, result}) => {
    const problem = probeProblem(result, 'the certificate probe')
    if (problem || !result) return [fail('certificates', 'every certificate checked', problem ?? 'no result')]
    const states = parseCertificates(result)
    if (states.length === 0) {
      return [skip('certificates', 'certificates checked', 'none on this host (no cert-renewer@ unit, none expected)')]
    }
    return states.flatMap((state) =>
      certificateVerdicts(state, {
        nowMs,
        renewalGraceSeconds: context.settings.renewalGraceSeconds,
        renewerMaxAgeSeconds: context.settings.renewerMaxAgeSeconds,
        rootPath: installedRootPath(context),
      }),
    )
  },
  groups: ['all'],
  name: 'CERT:present|valid|renewal|renewer',
  probe: (context) => certificatesProbe(expectedCertificates(context), installedRootPath(context)),
  summary:
    'Each certificate a cert-renewer@ unit names, or the host must have: present; valid now with seconds left and a chain to the cluster root; not overdue in its renewal window; its timer active and recent',
}

export const CERTIFICATES: Suite = {
  clusterChecks: [],
  hostChecks: [certificates],
  name: 'certificates',
  summary: 'Every service certificate and its cert-renewer@ timer, on every host (as found there and as expected).',
}
