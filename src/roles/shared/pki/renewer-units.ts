import type {StepCaSettings} from './settings.js'

export const RENEWER_SERVICE = '/etc/systemd/system/cert-renewer@.service'
export const RENEWER_TIMER = '/etc/systemd/system/cert-renewer@.timer'

/** systemd expands `%` specifiers in unit files: a literal percent sign is `%%`. */
export function unitEscape(value: string): string {
  return value.replaceAll('%', '%%')
}

/**
 * Smallstep's renewer recipe, with one change: a missing certificate fails the unit (visible in `systemctl
 * --failed`) instead of being skipped forever by ExecCondition's exit status 2.
 */
export function renewerService(settings: StepCaSettings): string {
  return `[Unit]
Description=Certificate renewer for %I
Documentation=https://smallstep.com/docs/step-ca/certificate-authority-server-production
After=network-online.target
Wants=network-online.target
StartLimitIntervalSec=0

[Service]
Type=oneshot
User=root
Environment=STEPPATH=${settings.steppath}
Environment=CERT_LOCATION=/etc/step/certs/%i.crt
Environment=KEY_LOCATION=/etc/step/certs/%i.key
Environment=EXPIRES_IN_THRESHOLD=66%%
ExecCondition=/bin/sh -c 'test -s "\${CERT_LOCATION}" || { echo "\${CERT_LOCATION} is missing: nothing to renew" >&2; exit 255; }'
ExecCondition=${settings.stepBinary} certificate needs-renewal \${CERT_LOCATION} --expires-in \${EXPIRES_IN_THRESHOLD}
ExecStart=${settings.stepBinary} ca renew --force \${CERT_LOCATION} \${KEY_LOCATION}

[Install]
WantedBy=multi-user.target
`
}

export function renewerTimer(settings: StepCaSettings): string {
  const {onCalendar, jitterSeconds} = settings.renewalTimer
  return `[Unit]
Description=Timer for certificate renewal of %I
Documentation=https://smallstep.com/docs/step-ca/certificate-authority-server-production

[Timer]
Persistent=true
OnCalendar=${onCalendar}
AccuracySec=1us
RandomizedDelaySec=${jitterSeconds}s

[Install]
WantedBy=timers.target
`
}

export interface RenewerDropIn {
  certPath: string
  /** `66%` */
  expiresIn: string
  group: string
  keyPath: string
  owner: string
  /** `try-reload-or-restart` or `try-restart`, or undefined when nothing reads the certificate as a service. */
  serviceAction: string | undefined
  serviceUnit: string
}

/** cert-renewer@<name>.service.d/goldentooth.conf: where the certificate is, and what to do after renewing it. */
export function renewerDropIn(dropIn: RenewerDropIn): string {
  const lines = [
    '[Service]',
    `Environment=CERT_LOCATION=${dropIn.certPath}`,
    `Environment=KEY_LOCATION=${dropIn.keyPath}`,
    `Environment=EXPIRES_IN_THRESHOLD=${unitEscape(dropIn.expiresIn)}`,
    `WorkingDirectory=${dropIn.keyPath.slice(0, dropIn.keyPath.lastIndexOf('/')) || '/'}`,
    `ExecStartPost=/usr/bin/chown ${dropIn.owner}:${dropIn.group} \${CERT_LOCATION} \${KEY_LOCATION}`,
    'ExecStartPost=/usr/bin/chmod 0600 ${CERT_LOCATION} ${KEY_LOCATION}',
  ]
  if (dropIn.serviceAction) {
    const unit = dropIn.serviceUnit
    lines.push(
      `ExecStartPost=/bin/sh -c '! systemctl --quiet is-active ${unit} || systemctl ${dropIn.serviceAction} ${unit}'`,
    )
  }
  return `${lines.join('\n')}\n`
}
