import type {RoleModule} from '../role-module.js'

import {aclStep} from '../shared/consul-acl/acl-step.js'
import {consulAgentRole} from './agent.js'
import meta from './meta.js'
import {consulAclDesired} from './tokens.js'

/**
 * setup_consul: the servers, then (on the first server) the ACL bootstrap and every agent's token, then the clients,
 * whose start needs their token for auto-encrypt.
 */
export default {
  ...meta,
  roles: [
    consulAgentRole(true),
    aclStep({
      description:
        "Bootstraps Consul's ACL system exactly once with the management token kept in goldentooth's secret store, " +
        "then makes sure the DNS policy and every agent's token exist (each created once, with IDs derived from a " +
        "stored seed, and written into that agent's secrets.hcl).",
      desired: consulAclDesired,
      name: 'consul_acl',
      summary: 'Consul ACLs: bootstrap once, agent and DNS tokens.',
    }),
    consulAgentRole(false),
  ],
} satisfies RoleModule
