import type {Role} from '../../engine/role.js'

import {directory, file, service} from '../../engine/resources.js'
import {parseDuration} from '../shared/pki/renewal.js'
import {
  certificateFindings,
  hostSans,
  serviceCertificate,
  type ServiceCertificateSpec,
} from '../shared/pki/service-certificate.js'
import {nodeFqdn, setting} from '../vars.js'
import type {Vars} from '../../inventory/model.js'
import meta from './meta.js'

const USER = 'cert-canary'
const HOME = '/opt/cert-canary'
const CERT = `${HOME}/certs/tls.crt`
const KEY = `${HOME}/certs/tls.key`

/** The canary's own settings: a short lifetime, so a broken renewal shows within the hour, not after a day. */
function canary(vars: Vars): Pick<ServiceCertificateSpec, 'lifetime' | 'name' | 'renewWhenLeft'> {
  return {
    lifetime: setting(vars, 'cert_canary.lifetime', '1h'),
    name: USER,
    renewWhenLeft: setting(vars, 'cert_canary.renew_when_left', 0.5),
  }
}

/**
 * The original cluster's renewal canary, with arithmetic that can work: a short-lived certificate renewed by the same
 * cert-renewer timer as every service, and a unit that fails (visibly) the moment it is found expired.
 */
export const certCanaryRole: Role = {
  check: (cluster) => certificateFindings(cluster, (host) => [canary(cluster.inventory.hostVars(host))]),
  description:
    'A short-lived certificate (1 h, renewed at 50%) on the CA host, renewed by cert-renewer@cert-canary.timer like ' +
    'every service certificate, and cert-canary.timer failing cert-canary.service as soon as it has expired.',
  hosts: 'step_ca[0]',
  name: meta.name,
  plan(context) {
    const spec = canary(context.vars)
    return [
      {kind: 'group', name: USER},
      {group: USER, home: HOME, kind: 'user', name: USER, shell: '/usr/sbin/nologin'},
      directory(HOME, {group: USER, mode: 0o755, owner: USER}),
      directory(`${HOME}/certs`, {group: USER, mode: 0o700, owner: USER}),
      file(
        '/etc/systemd/system/cert-canary.service',
        context.template('cert-canary.service.j2', {cert_path: CERT, home: HOME, user: USER}),
      ),
      file(
        '/etc/systemd/system/cert-canary.timer',
        context.template('cert-canary.timer.j2', {
          check_every_seconds: Math.max(60, Math.floor((parseDuration(spec.lifetime) ?? 3600) / 12)),
        }),
      ),
      service('cert-canary.timer'),
      ...serviceCertificate(context, {
        ...spec,
        certPath: CERT,
        commonName: `${USER}.${nodeFqdn(context.host, context.vars)}`,
        group: USER,
        keyPath: KEY,
        owner: USER,
        sans: hostSans(context),
      }),
    ]
  },
  summary: meta.summary,
}
