import type {StepCaSettings} from '../shared/pki/settings.js'
import type {SshCertificateSettings} from './settings.js'

import {shq} from '../../transport/quote.js'
import {expiresInPercent} from '../shared/pki/renewal.js'

export const SSH_CERT_TOOL = '/usr/local/sbin/goldentooth-ssh-cert'

/** How often the SSH certificate timers look (the original's 15 min + up to 5 min jitter). */
export const SSH_RENEWAL_TIMER = {intervalSeconds: 900, jitterSeconds: 300}

export interface SshSigning {
  hostId: string
  hostPrincipals: string[]
  rootId: string
  rootPrincipals: string[]
}

/**
 * This node's SSH certificate tool for the step backend: `goldentooth-ssh-cert host|root [check]` signs the host
 * key (then reloads sshd) or root's key with step-ca's SSH CA through the JWK provisioner, unless the certificate
 * exists, was signed for these principals and is not due for renewal. The role and the renewal timers both run it.
 */
export function sshCertTool(ssh: SshCertificateSettings, step: StepCaSettings, signing: SshSigning): string {
  const kinds: Array<[string, string, string, string[], string]> = [
    ['host', ssh.hostKey, signing.hostId, signing.hostPrincipals, '--host'],
    ['root', ssh.rootKey, signing.rootId, signing.rootPrincipals, ''],
  ]
  const cases = kinds
    .map(
      ([kind, key, id, principals, flag]) =>
        `  ${kind}) key=${shq(`${key}.pub`)} cert=${shq(`${key}-cert.pub`)} id=${shq(id)} principals=${shq(principals.join(' '))} flag=${shq(flag)} ;;`,
    )
    .join('\n')
  return `#!/bin/sh
# goldentooth-ssh-cert: sign this node's SSH host or root certificate with the cluster CA (managed by goldentooth).
set -eu
export STEPPATH=${shq(step.steppath)}
STEP=${shq(step.stepBinary)}
kind=\${1:-}
case $kind in
${cases}
  *) echo "usage: goldentooth-ssh-cert host|root [check]" >&2; exit 64 ;;
esac
stamp=/var/lib/goldentooth/ssh/$kind.principals
current() {
  [ -s "$cert" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$principals" ] || return 1
  status=0
  "$STEP" ssh needs-renewal "$cert" --expires-in ${shq(expiresInPercent(ssh.renewWhenLeft))} >/dev/null 2>&1 || status=$?
  [ "$status" -eq 1 ]
}
if [ "\${2:-}" = check ]; then current; exit; fi
current && exit 0
set --
for principal in $principals; do set -- "$@" --principal "$principal"; done
[ -z "$flag" ] || set -- "$@" "$flag"
"$STEP" ssh certificate --sign --force --provisioner ${shq(step.provisioner.name)} \\
  --provisioner-password-file ${shq(step.provisioner.passwordPath)} --not-after ${shq(ssh.lifetime)} "$@" "$id" "$key"
mkdir -p -m 0700 /var/lib/goldentooth/ssh
printf '%s' "$principals" > "$stamp"
echo "signed the $kind certificate of $id for $principals"
if [ "$kind" = host ]; then systemctl try-reload-or-restart ssh.service; fi
`
}

export const SSH_RENEWER_SERVICE = `[Unit]
Description=Renew this node's SSH %i certificate from the cluster CA
After=network-online.target
Wants=network-online.target
StartLimitIntervalSec=0

[Service]
Type=oneshot
ExecStart=${SSH_CERT_TOOL} %i
`

export const SSH_RENEWER_TIMER = `[Unit]
Description=Renew this node's SSH %i certificate from the cluster CA

[Timer]
OnBootSec=5min
OnUnitActiveSec=${SSH_RENEWAL_TIMER.intervalSeconds / 60}min
RandomizedDelaySec=${SSH_RENEWAL_TIMER.jitterSeconds / 60}min

[Install]
WantedBy=timers.target
`
