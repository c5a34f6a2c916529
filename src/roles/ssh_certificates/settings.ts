import type {Inventory, Vars} from '../../inventory/model.js'

import {InvalidInputError} from '../../core/errors.js'
import {parseDuration} from '../shared/pki/renewal.js'
import {hostAddress, hostName, nodeFqdn, setting} from '../vars.js'

/** step: step-ca's SSH CAs sign on each node, renewed by timers; openssh: a CA in the operator's secret store. */
export type SshCaBackend = 'openssh' | 'step'

export interface SshCertificateSettings {
  ca: SshCaBackend
  /** The host's key to certify: <hostKey>.pub is signed into <hostKey>-cert.pub. */
  hostKey: string
  lifetime: string
  lifetimeSeconds: number
  renewWhenLeft: number
  /** root's key for logging in to other nodes with a user certificate: <rootKey>, <rootKey>.pub, <rootKey>-cert.pub. */
  rootKey: string
  /** Extra lines for the managed block of sshd_config (AllowUsers, say). */
  sshdExtra: string[]
  userCaPath: string
}

export function sshCertificateSettings(vars: Vars): SshCertificateSettings {
  const host = typeof vars.inventory_hostname === 'string' ? vars.inventory_hostname : ''
  const raw = (vars.ssh_certificates ?? {}) as Record<string, unknown>
  const invalid = (message: string) => new InvalidInputError(`ssh_certificates.${message} (${host})`)
  const text = (key: string, fallback: string): string => {
    const value = raw[key]
    if (value === undefined || value === null) return fallback
    if (typeof value !== 'string' || value === '') throw invalid(`${key} must be a non-empty string`)
    return value
  }
  const ca = text('ca', 'step')
  if (ca !== 'step' && ca !== 'openssh') throw invalid(`ca must be step or openssh, not ${ca}`)
  const lifetime = text('lifetime', '24h')
  const lifetimeSeconds = parseDuration(lifetime)
  if (!lifetimeSeconds) throw invalid(`lifetime must be a duration such as 24h, not ${lifetime}`)
  const renewWhenLeft = raw.renew_when_left ?? 0.34
  if (typeof renewWhenLeft !== 'number') throw invalid('renew_when_left must be a number such as 0.34')
  const extra = raw.sshd_extra ?? []
  if (!Array.isArray(extra) || !extra.every((line) => typeof line === 'string'))
    throw invalid('sshd_extra must be a list of sshd_config lines')
  return {
    ca,
    hostKey: text('host_key', '/etc/ssh/ssh_host_ed25519_key'),
    lifetime,
    lifetimeSeconds,
    renewWhenLeft,
    rootKey: text('root_key', '/root/.ssh/id_ed25519_cluster'),
    sshdExtra: extra as string[],
    userCaPath: text('user_ca_path', '/etc/ssh/ssh_user_ca.pub'),
  }
}

function clusterDomain(vars: Vars): string | undefined {
  const domain = setting(vars, 'cluster.domain', '')
  return domain === '' ? undefined : domain
}

/** A host certificate's principals: inventory name, hostname, node FQDN, cluster FQDN, address. */
export function hostPrincipals(host: string, vars: Vars): string[] {
  const domain = clusterDomain(vars)
  const name = hostName(host, vars)
  const address = hostAddress(vars)
  return [
    ...new Set([
      host,
      name,
      nodeFqdn(host, vars),
      ...(domain ? [`${name}.${domain}`] : []),
      ...(address ? [address] : []),
    ]),
  ]
}

/** The names the host CA is trusted for in known_hosts: the cluster's domain, and every node's name and address. */
export function knownHostsPatterns(inventory: Inventory): string[] {
  const patterns: string[] = []
  for (const host of inventory.hosts.keys()) {
    const vars = inventory.hostVars(host)
    const domain = clusterDomain(vars)
    if (domain) patterns.push(`*.${domain}`)
    patterns.push(host, hostName(host, vars))
    const address = hostAddress(vars)
    if (address) patterns.push(address)
  }
  return [...new Set(patterns)]
}

export const HOST_CA_COMMENT = 'goldentooth-ssh-host-ca'

/** The `@cert-authority` line that trusts the host CA for the cluster's names. */
export function certAuthorityLine(inventory: Inventory, hostCaPublicKey: string): string {
  const [type, base64] = hostCaPublicKey.trim().split(/\s+/)
  return `@cert-authority ${knownHostsPatterns(inventory).join(',')} ${type} ${base64} ${HOST_CA_COMMENT}`
}

export const CERT_AUTHORITY_MATCH = `^@cert-authority \\S+ \\S+ \\S+ ${HOST_CA_COMMENT}$`
