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

const UNIT = `[Unit]
Description=Certificate canary: fails when its short-lived certificate was not renewed in time
After=network-online.target

[Service]
Type=oneshot
User=${USER}
WorkingDirectory=${HOME}
ExecStart=/usr/bin/openssl x509 -in ${CERT} -noout -enddate -checkend 0
`

function timer(lifetimeSeconds: number): string {
  return `[Unit]
Description=Check the certificate canary

[Timer]
OnBootSec=1min
OnUnitActiveSec=${Math.max(60, Math.floor(lifetimeSeconds / 12))}s

[Install]
WantedBy=timers.target
`
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
      file('/etc/systemd/system/cert-canary.service', UNIT),
      file('/etc/systemd/system/cert-canary.timer', timer(parseDuration(spec.lifetime) ?? 3600)),
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
