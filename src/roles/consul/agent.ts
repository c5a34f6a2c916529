import type {Resource} from '../../engine/resources.js'
import type {HostContext, Role} from '../../engine/role.js'
import type {SecretSpec} from '../../engine/secrets.js'
import type {ServiceCertificateSpec} from '../shared/pki/service-certificate.js'
import type {ConsulSettings} from './settings.js'

import {directory, file, packages, service} from '../../engine/resources.js'
import {base64Secret} from '../../engine/secrets.js'
import {gossipKeyProblem} from '../shared/hashicorp/gossip.js'
import {binaryResources, prepareBinaries} from '../shared/hashicorp/install.js'
import {quorumFindings} from '../shared/hashicorp/quorum.js'
import {certificateFindings, hostSans, serviceCertificates} from '../shared/pki/service-certificate.js'
import {hostAddress} from '../vars.js'
import {CONSUL_ACL_SECRETS} from '../shared/consul-acl/acl-step.js'
import {CONSUL_GROUP, CONSUL_PORTS, consulSettings, requireAddress, SERVER_GROUP, serverAddresses} from './settings.js'
import {agentToken, dnsToken} from './tokens.js'

export const GOSSIP_KEY: SecretSpec = {
  description: 'Consul gossip encryption key',
  generate: base64Secret(32),
  name: 'consul-gossip-key',
  problem: gossipKeyProblem,
  replacing: 'every Consul agent then gets the new key and restarts',
}

const SEED = CONSUL_ACL_SECRETS.find((spec) => spec.name === 'consul-acl-seed')!
const UNIT = '/etc/systemd/system/consul.service'
const RESTART = [{action: 'restart' as const, service: 'consul'}]

export function consulCertificate(
  context: HostContext,
  settings: ConsulSettings,
  server: boolean,
): ServiceCertificateSpec {
  const name = `${server ? 'server' : 'client'}.${settings.datacenter}.${settings.domain}`
  return {
    certPath: settings.certPath,
    commonName: name,
    group: 'consul',
    keyPath: settings.keyPath,
    lifetime: settings.certLifetime,
    name: 'consul',
    owner: 'consul',
    reload: {action: 'reload', service: 'consul'},
    sans: hostSans(context, `${context.host}.${name}`, ...(server ? [`consul.service.${settings.domain}`] : [])),
  }
}

/** The first Prometheus host's address, for the UI's metrics proxy ('' when the inventory has none). */
function prometheusUrl(context: HostContext): string {
  const host = context.inventory.groupHosts('prometheus')[0]
  const address = host ? hostAddress(context.inventory.hostVars(host)) : undefined
  return address ? `http://${address}:9090` : ''
}

function agentResources(context: HostContext, server: boolean): Resource[] {
  const settings = consulSettings(context.inventory, context.vars)
  const seed = context.secret('consul-acl-seed')
  const address = requireAddress(context.inventory, context.host)
  const certificate = consulCertificate(context, settings, server)
  const config = context.template('consul.hcl.j2', {
    address,
    bootstrap_expect: context.inventory.groupHosts(SERVER_GROUP).length,
    ca_file: settings.caFile,
    cert_file: certificate.certPath,
    client_addr: `127.0.0.1 ${address}`,
    data_dir: settings.optPath,
    datacenter: settings.datacenter,
    domain: settings.domain,
    key_file: certificate.keyPath,
    node_name: context.host,
    ports: CONSUL_PORTS,
    prometheus_url: prometheusUrl(context),
    retry_join: serverAddresses(context.inventory),
    server,
  })
  const secrets = context.template('secrets.hcl.j2', {
    agent_token: agentToken(seed, context.host, settings.datacenter).secretId,
    dns_token: dnsToken(seed).secretId,
    gossip_key: context.secret(GOSSIP_KEY.name).toString('utf8').trim(),
  })
  const unit = context.template('consul.service.j2', {
    binary: settings.install.binary,
    config_path: settings.configPath,
    etc_path: settings.etcPath,
  })
  const {etcPath} = settings
  return [
    {kind: 'group', name: 'consul'},
    {group: 'consul', home: etcPath, kind: 'user', name: 'consul', shell: '/usr/sbin/nologin'},
    ...(server ? [packages(['curl'])] : []),
    ...binaryResources(context, {install: settings.install}, settings.install.binary),
    directory(etcPath, {group: 'consul', mode: 0o750}),
    {kind: 'absent', path: settings.envPath},
    directory(settings.certsPath, {group: 'consul', mode: 0o750, owner: 'consul'}),
    directory(settings.optPath, {group: 'consul', mode: 0o750, owner: 'consul'}),
    ...serviceCertificates(context, [certificate]),
    file(settings.configPath, config, {group: 'consul', mode: 0o640, notify: RESTART}),
    file(`${etcPath}/secrets.hcl`, secrets, {group: 'consul', mode: 0o640, notify: RESTART, secret: true}),
    file(UNIT, unit, {notify: RESTART}),
    service('consul'),
  ]
}

/**
 * The Consul agents of one kind. Servers come first in setup_consul, and their prepare() resolves the binaries of
 * every Consul host, so a missing release stops the run before any host changes.
 */
export function consulAgentRole(server: boolean): Role {
  return {
    check(cluster) {
      return [
        ...(server ? quorumFindings(cluster.inventory, SERVER_GROUP) : []),
        ...certificateFindings(cluster, (host) => [
          {lifetime: consulSettings(cluster.inventory, cluster.inventory.hostVars(host)).certLifetime, name: 'consul'},
        ]),
      ]
    },
    description: server
      ? `Consul servers (${SERVER_GROUP}): bootstrap_expect is the group's size, which must be odd. Config lives in ` +
        '/etc/consul.d/*.hcl only (consul.hcl, and secrets.hcl with the gossip key and the agent token). A changed ' +
        'config restarts the agent: use --serial 1 on a running cluster to keep the quorum.'
      : `Consul clients (every ${CONSUL_GROUP} host that is not a server), joined to the servers with auto-encrypt.`,
    ...(server ? {factsFrom: (inventory) => inventory.groupHosts(CONSUL_GROUP)} : {}),
    hosts: server ? SERVER_GROUP : `${CONSUL_GROUP}:!${SERVER_GROUP}`,
    name: 'consul',
    plan: (context) => agentResources(context, server),
    async prepare(context) {
      const hosts = server ? context.inventory.groupHosts(CONSUL_GROUP) : context.hosts
      return prepareBinaries(
        context,
        hosts.map((host) => ({
          host,
          install: consulSettings(context.inventory, context.inventory.hostVars(host)).install,
        })),
      )
    },
    secrets: [GOSSIP_KEY, SEED],
    summary: server ? 'Consul servers.' : 'Consul clients.',
  }
}
