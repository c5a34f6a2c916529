import type {Resource} from '../../engine/resources.js'
import type {HostContext} from '../../engine/role.js'
import type {StepCaSettings} from '../shared/pki/settings.js'
import type {SshCertificateSettings} from './settings.js'

import {file} from '../../engine/resources.js'
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

/** This node's SSH certificate tool for the step backend, and the renewal units that run it. */
export function stepSigningTooling(
  context: HostContext,
  ssh: SshCertificateSettings,
  step: StepCaSettings,
  signing: SshSigning,
): Resource[] {
  const tool = context.template('goldentooth-ssh-cert.j2', {
    certificates: [
      {flag: '--host', id: signing.hostId, key: ssh.hostKey, kind: 'host', principals: signing.hostPrincipals},
      {flag: '', id: signing.rootId, key: ssh.rootKey, kind: 'root', principals: signing.rootPrincipals},
    ],
    expires_in: expiresInPercent(ssh.renewWhenLeft),
    lifetime: ssh.lifetime,
    provisioner: step.provisioner.name,
    provisioner_password_file: step.provisioner.passwordPath,
    step_binary: step.stepBinary,
    steppath: step.steppath,
  })
  const timer = {
    interval_minutes: SSH_RENEWAL_TIMER.intervalSeconds / 60,
    randomized_delay_minutes: SSH_RENEWAL_TIMER.jitterSeconds / 60,
  }
  return [
    file(SSH_CERT_TOOL, tool, {mode: 0o755}),
    file(
      '/etc/systemd/system/goldentooth-ssh-cert@.service',
      context.template('goldentooth-ssh-cert@.service.j2', {tool: SSH_CERT_TOOL}),
    ),
    file('/etc/systemd/system/goldentooth-ssh-cert@.timer', context.template('goldentooth-ssh-cert@.timer.j2', timer)),
  ]
}
