import type {Facts} from '../../engine/facts.js'
import type {Inventory} from '../../inventory/model.js'
import type {Resource} from '../../engine/resources.js'
import type {Finding, HostContext, PrepareContext, Role} from '../../engine/role.js'
import type {SecretSpec} from '../../engine/secrets.js'
import type {AclDesired, AclPolicy} from '../shared/consul-acl/acl.js'
import type {ServiceCertificateSpec} from '../shared/pki/service-certificate.js'
import type {NomadSettings} from './settings.js'

import {directory, file, service} from '../../engine/resources.js'
import {base64Secret} from '../../engine/secrets.js'
import {seededToken} from '../shared/consul-acl/acl.js'
import {CONSUL_ACL_SECRETS, managementToken} from '../shared/consul-acl/acl-step.js'
import {CONSUL_GROUP, CONSUL_PORTS, requireAddress} from '../consul/settings.js'
import {type GpuProfile, gpuProfile} from '../gpu/profile.js'
import {gossipKeyProblem} from '../shared/hashicorp/gossip.js'
import {binaryResources, type HostBinary, prepareBinaries, type PreparedInstall} from '../shared/hashicorp/install.js'
import {quorumFindings} from '../shared/hashicorp/quorum.js'
import {certificateFindings, hostSans, serviceCertificates} from '../shared/pki/service-certificate.js'
import {VAULT_GROUP, VAULT_PORTS} from '../vault/settings.js'
import {NOMAD_CLIENT_GROUP, NOMAD_PORTS, NOMAD_SERVER_GROUP, nomadSettings} from './settings.js'

export const NOMAD_GOSSIP_KEY: SecretSpec = {
  description: 'Nomad server gossip encryption key',
  generate: base64Secret(32),
  name: 'nomad-gossip-key',
  problem: gossipKeyProblem,
  replacing: 'every Nomad server then gets the new key and restarts',
}

const RESTART = [{action: 'restart' as const, service: 'nomad'}]

type Kind = 'client' | 'server'

/** The Consul rights a Nomad agent needs (HashiCorp's Nomad/Consul integration guide). */
export function nomadPolicy(kind: Kind): AclPolicy {
  const common =
    'agent_prefix "" {\n  policy = "read"\n}\nnode_prefix "" {\n  policy = "read"\n}\nservice_prefix "" {\n  policy = "write"\n}\n'
  return {
    description: `Nomad ${kind}s (managed by goldentooth)`,
    name: `nomad-${kind}`,
    rules: kind === 'server' ? `${common}acl = "write"\nmesh = "write"\n` : common,
  }
}

export function nomadToken(seed: Buffer, kind: Kind) {
  return seededToken(seed, `nomad-${kind}`, {description: `nomad ${kind}`, policies: [`nomad-${kind}`]})
}

/** The Consul policies and tokens of Nomad's servers and clients. */
export function nomadAclDesired(inventory: Inventory, secret: (name: string) => Buffer): AclDesired {
  const seed = secret('consul-acl-seed')
  const kinds: Kind[] = [
    ...(inventory.groupHosts(NOMAD_SERVER_GROUP).length > 0 ? ['server' as const] : []),
    ...(inventory.groupHosts(NOMAD_CLIENT_GROUP).length > 0 ? ['client' as const] : []),
  ]
  return {
    bootstrap: false,
    managementToken: managementToken(secret),
    policies: kinds.map(nomadPolicy),
    tokens: kinds.map((kind) => nomadToken(seed, kind)),
  }
}

function kinds(inventory: Inventory, host: string): {client: boolean; server: boolean} {
  return {
    client: inventory.groupHosts(NOMAD_CLIENT_GROUP).includes(host),
    server: inventory.groupHosts(NOMAD_SERVER_GROUP).includes(host),
  }
}

export function nomadCertificate(context: HostContext, settings: NomadSettings): ServiceCertificateSpec {
  const {client, server} = kinds(context.inventory, context.host)
  const names = [
    ...(server ? [`server.${settings.region}.nomad`] : []),
    ...(client ? [`client.${settings.region}.nomad`] : []),
  ]
  return {
    certPath: settings.certPath,
    commonName: names[0]!,
    group: 'nomad',
    keyPath: settings.keyPath,
    lifetime: settings.certLifetime,
    name: 'nomad',
    owner: 'nomad',
    reload: {action: 'reload', service: 'nomad'},
    sans: hostSans(context, ...names.slice(1), 'nomad.service.consul'),
  }
}

/** The NVIDIA device plugin runs only where the inventory puts a client in a GPU group and the driver sees a GPU. */
function devicePlugin(inventory: Inventory, host: string, facts: Facts): boolean {
  return kinds(inventory, host).client && gpuProfile(inventory, host, facts).nomadDevicePlugin
}

/** A GPU-group client without a usable GPU still gets node_class "gpu" (the inventory says so), but no plugin. */
export function gpuWarning(gpu: GpuProfile): string {
  const found = gpu.driverMissing
    ? `${gpu.count} NVIDIA GPU(s) on the PCI bus, but nvidia-smi reports none (no working driver)`
    : 'no NVIDIA GPU was found (nvidia-smi and lspci)'
  return (
    `in a GPU group (node_class "gpu"), but ${found}: the NVIDIA device plugin is not configured, so jobs that ` +
    'ask for an nvidia/gpu device will not be placed here'
  )
}

function nomadResources(context: HostContext): Resource[] {
  const settings = nomadSettings(context.inventory, context.vars)
  const {client, server} = kinds(context.inventory, context.host)
  const address = requireAddress(context.inventory, context.host)
  const gpu = gpuProfile(context.inventory, context.host, context.facts)
  if (client && gpu.inGpuGroups && !gpu.usable) context.warn(gpuWarning(gpu))
  const plugin = devicePlugin(context.inventory, context.host, context.facts)
  const certificate = nomadCertificate(context, settings)
  const servers = context.inventory
    .groupHosts(NOMAD_SERVER_GROUP)
    .map((host) => requireAddress(context.inventory, host))
  const vaultHost = context.inventory.groupHosts(VAULT_GROUP)[0]
  const seed = context.secret('consul-acl-seed')
  const config = context.template('nomad.hcl.j2', {
    address,
    arch: context.facts.machine,
    bootstrap_expect: servers.length,
    ca_file: settings.caFile,
    cert_file: certificate.certPath,
    client,
    client_servers: servers.map((server) => `${server}:${NOMAD_PORTS.rpc}`),
    consul_http_port: CONSUL_PORTS.http,
    data_dir: settings.dataPath,
    datacenter: settings.datacenter,
    device_plugin: plugin,
    gpu: gpu.usable ? 'true' : 'false',
    key_file: certificate.keyPath,
    node_class: gpu.inGpuGroups ? 'gpu' : 'default',
    node_name: context.host,
    plugin_dir: settings.pluginDir,
    region: settings.region,
    server,
    servers,
    vault_address: vaultHost ? `https://${requireAddress(context.inventory, vaultHost)}:${VAULT_PORTS.api}` : '',
  })
  const secrets = context.template('secrets.hcl.j2', {
    consul_token: nomadToken(seed, server ? 'server' : 'client').secretId,
    gossip_key: context.secret(NOMAD_GOSSIP_KEY.name).toString('utf8').trim(),
    server,
  })
  const unit = context.template('nomad.service.j2', {
    binary: settings.install.binary,
    config_path: settings.configPath,
    env_path: settings.envPath,
    etc_path: settings.etcPath,
    user: client ? '' : 'nomad',
  })
  const {etcPath} = settings
  return [
    {kind: 'group', name: 'nomad'},
    {group: 'nomad', home: etcPath, kind: 'user', name: 'nomad', shell: '/usr/sbin/nologin'},
    ...binaryResources(context, {install: settings.install}, settings.install.binary),
    directory(etcPath, {group: 'nomad', mode: 0o750}),
    directory(settings.optPath, {group: 'nomad', mode: 0o750, owner: 'nomad'}),
    directory(settings.dataPath, {group: 'nomad', mode: 0o700, owner: client ? 'root' : 'nomad'}),
    directory(settings.certsPath, {group: 'nomad', mode: 0o750, owner: 'nomad'}),
    directory(settings.pluginDir, {mode: 0o755}),
    ...(plugin
      ? binaryResources(
          context,
          {
            install: settings.install,
            release: {
              binary: 'nomad-device-nvidia',
              name: 'nomad-device-nvidia',
              version: settings.deviceNvidiaVersion,
            },
          },
          `${settings.pluginDir}/nomad-device-nvidia`,
        )
      : [{kind: 'absent' as const, notify: RESTART, path: `${settings.pluginDir}/nomad-device-nvidia`}]),
    ...serviceCertificates(context, [certificate]),
    file(settings.configPath, config, {group: 'nomad', mode: 0o640, notify: RESTART}),
    file(`${etcPath}/secrets.hcl`, secrets, {group: 'nomad', mode: 0o640, notify: RESTART, secret: true}),
    file('/etc/systemd/system/nomad.service', unit, {notify: RESTART}),
    service('nomad'),
  ]
}

function consulFindings(inventory: Inventory, hosts: readonly string[]): Finding[] {
  const consul = new Set(inventory.groupHosts(CONSUL_GROUP))
  return hosts
    .filter((host) => !consul.has(host))
    .map((host) => ({
      host,
      level: 'error' as const,
      message: `Nomad talks to the local Consul agent, but ${host} is not in the ${CONSUL_GROUP} group`,
    }))
}

/** Nomad's binary for every host's architecture, and the device plugin where it runs. */
export function prepareNomadBinaries(context: PrepareContext, hosts: readonly string[]): Promise<PreparedInstall> {
  const wanted: HostBinary[] = hosts.flatMap((host) => {
    const settings = nomadSettings(context.inventory, context.inventory.hostVars(host))
    const plugin = devicePlugin(context.inventory, host, context.factsOf(host))
    const release = {binary: 'nomad-device-nvidia', name: 'nomad-device-nvidia', version: settings.deviceNvidiaVersion}
    return [{host, install: settings.install}, ...(plugin ? [{host, install: settings.install, release}] : [])]
  })
  return prepareBinaries(context, wanted)
}

/** Every host setup_nomad runs on. */
export function nomadHosts(inventory: Inventory): string[] {
  return [...new Set([...inventory.groupHosts(NOMAD_SERVER_GROUP), ...inventory.groupHosts(NOMAD_CLIENT_GROUP)])]
}

export const nomadRole: Role = {
  check: (cluster) => [
    ...quorumFindings(cluster.inventory, NOMAD_SERVER_GROUP),
    ...consulFindings(cluster.inventory, cluster.hosts),
    ...certificateFindings(cluster, (host) => [
      {lifetime: nomadSettings(cluster.inventory, cluster.inventory.hostVars(host)).certLifetime, name: 'nomad'},
    ]),
  ],
  description:
    `Nomad servers (${NOMAD_SERVER_GROUP}, an odd number) and clients (${NOMAD_CLIENT_GROUP}), with mTLS on ` +
    'step-ca certificates, the local Consul agent (own tokens) and Vault. Clients in a GPU group get node_class ' +
    '"gpu"; the NVIDIA device plugin is installed only where the facts show a GPU with a working driver.',
  hosts: `${NOMAD_SERVER_GROUP}:${NOMAD_CLIENT_GROUP}`,
  name: 'nomad',
  plan: nomadResources,
  prepare: (context) => prepareNomadBinaries(context, context.hosts),
  secrets: [NOMAD_GOSSIP_KEY, ...CONSUL_ACL_SECRETS],
  summary: 'Nomad servers and clients.',
}
