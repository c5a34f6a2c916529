import type {Inventory} from '../../inventory/model.js'
import type {AclDesired, AclPolicy, AclToken} from '../shared/consul-acl/acl.js'

import {seededToken} from '../shared/consul-acl/acl.js'
import {managementToken} from '../shared/consul-acl/acl-step.js'
import {CONSUL_GROUP, consulSettings, SERVER_GROUP} from './settings.js'

/** What an agent's DNS interface may answer with default-deny ACLs. */
export const DNS_POLICY: AclPolicy = {
  description: 'Consul DNS: read nodes, services and prepared queries (managed by goldentooth)',
  name: 'goldentooth-dns',
  rules:
    'node_prefix "" {\n  policy = "read"\n}\nservice_prefix "" {\n  policy = "read"\n}\nquery_prefix "" {\n  policy = "read"\n}\n',
}

/** One agent's token: a node identity, i.e. Consul's per-node agent policy (node:write on itself, service:read). */
export function agentToken(seed: Buffer, host: string, datacenter: string): AclToken {
  return seededToken(seed, `consul-agent:${host}`, {
    description: `consul agent ${host}`,
    nodeIdentities: [{Datacenter: datacenter, NodeName: host}],
  })
}

export function dnsToken(seed: Buffer): AclToken {
  return seededToken(seed, 'consul-dns', {description: 'consul dns', policies: [DNS_POLICY.name]})
}

/** setup_consul's ACLs: bootstrapped once, the DNS policy and token, and every Consul agent's own token. */
export function consulAclDesired(inventory: Inventory, secret: (name: string) => Buffer): AclDesired {
  const seed = secret('consul-acl-seed')
  const first = inventory.groupHosts(SERVER_GROUP)[0]
  const {datacenter} = consulSettings(inventory, first ? inventory.hostVars(first) : {})
  return {
    bootstrap: true,
    managementToken: managementToken(secret),
    policies: [DNS_POLICY],
    tokens: [dnsToken(seed), ...inventory.groupHosts(CONSUL_GROUP).map((host) => agentToken(seed, host, datacenter))],
  }
}
