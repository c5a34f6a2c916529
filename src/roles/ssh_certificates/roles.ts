import type {Inventory} from '../../inventory/model.js'
import type {Resource, Verification} from '../../engine/resources.js'
import type {FetchRequest, Finding, HostContext, PrepareContext, Role} from '../../engine/role.js'

import {directory, file, ROOT, service} from '../../engine/resources.js'
import {shJoin, shq} from '../../transport/quote.js'
import {formatDuration, renewalProblem} from '../shared/pki/renewal.js'
import {stepCaSettings} from '../shared/pki/settings.js'
import meta from './meta.js'
import {publicKeyOf, replacementReason, SSH_CA_SECRETS, signCertificate} from './openssh-ca.js'
import {
  CERT_AUTHORITY_MATCH,
  certAuthorityLine,
  hostPrincipals,
  sshCertificateSettings,
  type SshCertificateSettings,
} from './settings.js'
import {SSH_CERT_TOOL, SSH_RENEWAL_TIMER, type SshSigning, stepSigningTooling} from './step-signing.js'

const RELOAD_SSH = [{action: 'reload' as const, service: 'ssh'}]

/** Every sshd_config change must leave the operator able to log in: checked over a new connection, else undone. */
export const LOGIN_WORKS: Verification = {command: 'true', description: 'a new SSH login works'}

function signing(host: string, context: Pick<HostContext, 'inventory'>): SshSigning {
  return {
    hostId: host,
    hostPrincipals: hostPrincipals(host, context.inventory.hostVars(host)),
    rootId: `root@${host}`,
    rootPrincipals: ['root', `${host}-root`],
  }
}

/** root's own key pair for logging in to other nodes, made once on each node (its private key never leaves it). */
export const sshUserKeys: Role = {
  description: "root's SSH key pair on every node, the key its user certificate certifies.",
  hosts: 'all',
  name: 'ssh_user_keys',
  plan(context) {
    const {rootKey} = sshCertificateSettings(context.vars)
    return [
      directory(rootKey.slice(0, rootKey.lastIndexOf('/')), {mode: 0o700}),
      {
        creates: rootKey,
        id: 'root SSH key',
        kind: 'command',
        run: shJoin(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', `root@${context.host}`, '-f', rootKey]),
      },
    ]
  },
  summary: "root's SSH key pair on every node.",
}

/** What prepare signed (openssh backend): each host's certificates, current or new, and the CA public keys. */
export interface SignedCertificates {
  certificates: Map<string, {host: string | undefined; root: string | undefined}>
  hostCaPublicKey: string
  userCaPublicKey: string
}

function sshFetches(inventory: Inventory, hosts: readonly string[]): FetchRequest[] {
  const requests: FetchRequest[] = []
  for (const host of hosts) {
    const settings = sshCertificateSettings(inventory.hostVars(host))
    for (const key of [settings.hostKey, settings.rootKey])
      requests.push({host, path: `${key}.pub`}, {host, path: `${key}-cert.pub`})
    if (settings.ca === 'step') {
      const step = stepCaSettings(inventory, inventory.hostVars(host))
      if (step.caHost)
        for (const kind of ['host', 'user'])
          requests.push({host: step.caHost, path: `${step.etcPath}/certs/ssh_${kind}_ca_key.pub`})
    }
  }
  return requests
}

/** Sign (only what is missing, for other principals, or inside its renewal window) with the operator's SSH CAs. */
async function signWithOpensshCa(context: PrepareContext): Promise<SignedCertificates | undefined> {
  const hosts = context.hosts.filter(
    (host) => sshCertificateSettings(context.inventory.hostVars(host)).ca === 'openssh',
  )
  if (hosts.length === 0) return undefined
  const hostCa = context.secret(SSH_CA_SECRETS.host.name)
  const userCa = context.secret(SSH_CA_SECRETS.user.name)
  const signed: SignedCertificates = {
    certificates: new Map(),
    hostCaPublicKey: publicKeyOf(hostCa),
    userCaPublicKey: publicKeyOf(userCa),
  }
  for (const host of hosts) {
    const settings = sshCertificateSettings(context.inventory.hostVars(host))
    const names = signing(host, context)
    const now = context.factsOf(host).now || Date.now() / 1000
    const certificate = (key: string, hostCert: boolean, ca: Buffer, caPublicKey: string) => {
      const publicKey = context.fetched(host, `${key}.pub`)?.toString('utf8')
      if (!publicKey) return undefined
      const current = context.fetched(host, `${key}-cert.pub`)?.toString('utf8')
      const principals = hostCert ? names.hostPrincipals : names.rootPrincipals
      const reason = replacementReason(current, {
        caPublicKey,
        host: hostCert,
        now,
        principals,
        publicKey,
        renewWithinSeconds: settings.lifetimeSeconds * settings.renewWhenLeft,
      })
      if (reason === undefined) return current
      return signCertificate(ca, {
        host: hostCert,
        identity: hostCert ? names.hostId : names.rootId,
        lifetimeSeconds: settings.lifetimeSeconds,
        principals,
        publicKey,
      })
    }
    signed.certificates.set(host, {
      host: certificate(settings.hostKey, true, hostCa, signed.hostCaPublicKey),
      root: certificate(settings.rootKey, false, userCa, signed.userCaPublicKey),
    })
  }
  return signed
}

function sshdBlock(context: HostContext, settings: SshCertificateSettings): Resource {
  return {
    ...ROOT,
    block: context.template('sshd_config.j2', {
      host_key: settings.hostKey,
      sshd_extra: settings.sshdExtra,
      user_ca_path: settings.userCaPath,
    }),
    kind: 'block',
    marker: 'goldentooth ssh certificates',
    mode: 0o644,
    notify: RELOAD_SSH,
    path: '/etc/ssh/sshd_config',
    validate: '/usr/sbin/sshd -t -f %s',
    verify: LOGIN_WORKS,
  }
}

function clientResources(context: HostContext, settings: SshCertificateSettings, hostCaPublicKey: string): Resource[] {
  return [
    {
      ...ROOT,
      block: context.template('ssh-config.j2', {root_key: settings.rootKey}),
      kind: 'block',
      marker: 'goldentooth ssh certificate',
      mode: 0o600,
      path: '/root/.ssh/config',
    },
    {
      ...ROOT,
      kind: 'line',
      line: certAuthorityLine(context.inventory, hostCaPublicKey),
      match: CERT_AUTHORITY_MATCH,
      mode: 0o644,
      path: '/etc/ssh/ssh_known_hosts',
    },
  ]
}

function opensshPlan(context: HostContext, settings: SshCertificateSettings): Resource[] {
  const signed = context.prepared as SignedCertificates | undefined
  if (!signed) {
    context.warn("certificates are signed by the operator's SSH CA when the role runs; rendered without them")
    return [sshdBlock(context, settings)]
  }
  const certificates = signed.certificates.get(context.host) ?? {host: undefined, root: undefined}
  if (!certificates.host) context.warn(`${settings.hostKey}.pub is missing: no host certificate`)
  if (!certificates.root) context.warn(`${settings.rootKey}.pub is missing: no root certificate`)
  return [
    file(settings.userCaPath, `${signed.userCaPublicKey}\n`),
    ...(certificates.host ? [file(`${settings.hostKey}-cert.pub`, certificates.host, {notify: RELOAD_SSH})] : []),
    ...(certificates.root ? [file(`${settings.rootKey}-cert.pub`, certificates.root)] : []),
    ...clientResources(context, settings, signed.hostCaPublicKey),
    sshdBlock(context, settings),
  ]
}

function stepPlan(context: HostContext, settings: SshCertificateSettings): Resource[] {
  const step = stepCaSettings(context.inventory, context.vars)
  const caKey = (kind: string) =>
    step.caHost ? context.fetched(step.caHost, `${step.etcPath}/certs/ssh_${kind}_ca_key.pub`) : undefined
  const hostCa = caKey('host')
  const userCa = caKey('user')
  const resources = stepSigningTooling(context, settings, step, signing(context.host, context))
  if (!hostCa || !userCa) {
    context.warn(`${step.caHost ?? 'the step_ca host'} has no SSH CA keys yet: run setup_step_ca first`)
    return [...resources, sshdBlock(context, settings)]
  }
  for (const kind of ['host', 'root']) {
    resources.push(
      {
        id: `sign ${kind} certificate`,
        kind: 'command',
        run: shJoin([SSH_CERT_TOOL, kind]),
        unless: `${shq(SSH_CERT_TOOL)} ${kind} check`,
      },
      service(`goldentooth-ssh-cert@${kind}.timer`),
    )
  }
  return [
    file(settings.userCaPath, userCa),
    ...resources,
    ...clientResources(context, settings, hostCa.toString('utf8')),
    sshdBlock(context, settings),
  ]
}

function renewalFindings(hosts: readonly string[], inventory: Inventory): Finding[] {
  const findings: Finding[] = []
  for (const host of hosts) {
    const settings = sshCertificateSettings(inventory.hostVars(host))
    const window = settings.lifetimeSeconds * settings.renewWhenLeft
    if (settings.ca === 'step') {
      const problem = renewalProblem({
        lifetimeSeconds: settings.lifetimeSeconds,
        name: `${host}: SSH certificates`,
        renewWhenLeft: settings.renewWhenLeft,
        timer: SSH_RENEWAL_TIMER,
      })
      if (problem) findings.push({host, level: 'error', message: problem})
    } else if (!findings.some((f) => f.level === 'warning')) {
      findings.push({
        level: 'warning',
        message:
          `SSH certificates from the operator's CA (ssh_certificates.ca: openssh) are renewed only when ` +
          `setup_ssh_certificates runs: run it at least every ${formatDuration(window)} (from cron, say)`,
      })
    }
  }
  return findings
}

/** Host and root certificates, sshd trusting the user CA, and every node trusting the host CA. */
export const sshCertificates: Role = {
  check: ({hosts, inventory}) => renewalFindings(hosts, inventory),
  description:
    'Host certificates (principals: short name, node FQDN, cluster FQDN, address) and root user certificates, 24 h ' +
    'by default; sshd HostCertificate and TrustedUserCAKeys; @cert-authority in /etc/ssh/ssh_known_hosts. Every ' +
    'sshd_config change passes `sshd -t` before it replaces the file, and a new login is tried after sshd reloads: ' +
    'if it fails, the previous file comes back.',
  fetch: sshFetches,
  hosts: 'all',
  name: meta.name,
  plan(context) {
    const settings = sshCertificateSettings(context.vars)
    return settings.ca === 'openssh' ? opensshPlan(context, settings) : stepPlan(context, settings)
  },
  prepare: signWithOpensshCa,
  secrets: [SSH_CA_SECRETS.host, SSH_CA_SECRETS.user],
  summary: meta.summary,
}
