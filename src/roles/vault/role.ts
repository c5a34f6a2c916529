import type {Inventory} from '../../inventory/model.js'
import type {Resource} from '../../engine/resources.js'
import type {Finding, HostContext, PrepareContext, Role} from '../../engine/role.js'
import type {AclDesired, AclPolicy} from '../shared/consul-acl/acl.js'
import type {ServiceCertificateSpec} from '../shared/pki/service-certificate.js'
import type {VaultSettings} from './settings.js'

import {directory, file, packages, service} from '../../engine/resources.js'
import {seededToken} from '../shared/consul-acl/acl.js'
import {CONSUL_ACL_SECRETS, managementToken} from '../shared/consul-acl/acl-step.js'
import {CONSUL_PORTS, requireAddress, SERVER_GROUP} from '../consul/settings.js'
import {binaryResources, prepareBinaries, type PreparedInstall} from '../shared/hashicorp/install.js'
import {quorumFindings} from '../shared/hashicorp/quorum.js'
import {certificateFindings, hostSans, serviceCertificates} from '../shared/pki/service-certificate.js'
import {VAULT_GROUP, VAULT_PORTS, vaultSettings} from './settings.js'

const RESTART = [{action: 'restart' as const, service: 'vault'}]

/** What Vault's Consul storage may do (HashiCorp's documented minimum). */
export function storagePolicy(prefix: string, name: string): AclPolicy {
  return {
    description: 'Vault storage backend (managed by goldentooth)',
    name,
    rules:
      `key_prefix ${JSON.stringify(prefix)} {\n  policy = "write"\n}\nservice "vault" {\n  policy = "write"\n}\n` +
      'agent_prefix "" {\n  policy = "read"\n}\nsession_prefix "" {\n  policy = "write"\n}\n',
  }
}

function firstVault(inventory: Inventory): VaultSettings | undefined {
  const host = inventory.groupHosts(VAULT_GROUP)[0]
  return host ? vaultSettings(inventory, inventory.hostVars(host)) : undefined
}

export function storageToken(seed: Buffer, policy: string) {
  return seededToken(seed, 'vault-storage', {description: 'vault storage', policies: [policy]})
}

/** The Consul policy and token of Vault's storage, or nothing when Vault keeps its data in Raft. */
export function vaultAclDesired(inventory: Inventory, secret: (name: string) => Buffer): AclDesired {
  const settings = firstVault(inventory)
  const consul = settings?.storage === 'consul'
  return {
    bootstrap: false,
    managementToken: managementToken(secret),
    policies: consul ? [storagePolicy(settings.consulPath, settings.consulPolicy)] : [],
    tokens: consul ? [storageToken(secret('consul-acl-seed'), settings.consulPolicy)] : [],
  }
}

export function vaultCertificate(context: HostContext, settings: VaultSettings): ServiceCertificateSpec {
  return {
    certPath: settings.certPath,
    commonName: 'vault.service.consul',
    group: 'vault',
    keyPath: settings.keyPath,
    lifetime: settings.certLifetime,
    name: 'vault',
    owner: 'vault',
    reload: {action: 'reload', service: 'vault'},
    sans: hostSans(context, 'active.vault.service.consul', 'standby.vault.service.consul'),
  }
}

function vaultResources(context: HostContext): Resource[] {
  const settings = vaultSettings(context.inventory, context.vars)
  const address = requireAddress(context.inventory, context.host)
  const certificate = vaultCertificate(context, settings)
  const tls = {ca_file: settings.caFile, cert_file: certificate.certPath, key_file: certificate.keyPath}
  const consul = settings.storage === 'consul'
  const config = context.template('vault.hcl.j2', {
    address,
    cluster_name: settings.clusterName,
    ports: VAULT_PORTS,
    seal: settings.seal ?? false,
    ...tls,
  })
  const storage = context.template('storage.hcl.j2', {
    ...tls,
    consul_http_port: CONSUL_PORTS.http,
    consul_path: settings.consulPath,
    consul_token: consul ? storageToken(context.secret('consul-acl-seed'), settings.consulPolicy).secretId : '',
    data_path: settings.dataPath,
    node_id: context.host,
    peers: context.inventory
      .groupHosts(VAULT_GROUP)
      .filter((host) => host !== context.host)
      .map((host) => requireAddress(context.inventory, host)),
    ports: VAULT_PORTS,
    storage: settings.storage,
  })
  const {etcPath} = settings
  return [
    {kind: 'group', name: 'vault'},
    {group: 'vault', home: etcPath, kind: 'user', name: 'vault', shell: '/usr/sbin/nologin'},
    packages(['curl']),
    ...binaryResources(context, {install: settings.install}, settings.install.binary),
    directory(etcPath, {group: 'vault', mode: 0o750}),
    directory(settings.optPath, {group: 'vault', mode: 0o750, owner: 'vault'}),
    directory(settings.certsPath, {group: 'vault', mode: 0o750, owner: 'vault'}),
    ...(consul ? [] : [directory(settings.dataPath, {group: 'vault', mode: 0o700, owner: 'vault'})]),
    ...serviceCertificates(context, [certificate]),
    file(settings.configPath, config, {group: 'vault', mode: 0o640, notify: RESTART}),
    file(`${etcPath}/storage.hcl`, storage, {group: 'vault', mode: 0o640, notify: RESTART, secret: consul}),
    file(settings.envPath, context.template('vault.env.j2', {seal: settings.seal ?? false}), {
      mode: 0o600,
      notify: RESTART,
      secret: settings.seal !== undefined,
    }),
    file(
      '/etc/systemd/system/vault.service',
      context.template('vault.service.j2', {
        binary: settings.install.binary,
        config_path: settings.configPath,
        env_path: settings.envPath,
        etc_path: etcPath,
        storage: settings.storage,
      }),
      {notify: RESTART},
    ),
    service('vault'),
  ]
}

function vaultFindings(inventory: Inventory): Finding[] {
  const settings = firstVault(inventory)
  if (!settings) return []
  if (settings.storage === 'raft') return quorumFindings(inventory, VAULT_GROUP)
  const findings: Finding[] = []
  if (inventory.groupHosts(SERVER_GROUP).length === 0)
    findings.push({level: 'error', message: `vault.storage is consul, but the inventory has no ${SERVER_GROUP} group`})
  const consulHosts = new Set(inventory.groupHosts('consul'))
  for (const host of inventory.groupHosts(VAULT_GROUP)) {
    if (!consulHosts.has(host))
      findings.push({
        host,
        level: 'error',
        message: 'vault.storage is consul and Vault talks to the local Consul agent, but this host is no Consul agent',
      })
  }
  return findings
}

/** Vault's binary for every host's architecture (a missing release zip stops the run here). */
export function prepareVaultBinaries(context: PrepareContext, hosts: readonly string[]): Promise<PreparedInstall> {
  return prepareBinaries(
    context,
    hosts.map((host) => ({host, install: vaultSettings(context.inventory, context.inventory.hostVars(host)).install})),
  )
}

export const vaultRole: Role = {
  check: (cluster) => [
    ...vaultFindings(cluster.inventory),
    ...certificateFindings(cluster, (host) => [
      {lifetime: vaultSettings(cluster.inventory, cluster.inventory.hostVars(host)).certLifetime, name: 'vault'},
    ]),
  ],
  description:
    'Vault servers (the vault group) with a TLS listener on step-ca certificates. Storage is Consul (through the ' +
    'local agent, with its own least-privilege token) or Raft (vault.storage). The seal is AWS KMS when the ' +
    'inventory gives the key and credentials; otherwise Shamir: `goldentooth vault init` once, and `goldentooth ' +
    'vault unseal` after every restart.',
  hosts: VAULT_GROUP,
  name: 'vault',
  plan: vaultResources,
  prepare: (context) => prepareVaultBinaries(context, context.hosts),
  secrets: CONSUL_ACL_SECRETS,
  summary: 'Vault servers.',
}
