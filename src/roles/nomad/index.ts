import type {RoleModule} from '../role-module.js'

import {aclStep} from '../shared/consul-acl/acl-step.js'
import meta from './meta.js'
import {nomadAclDesired, nomadHosts, nomadRole, prepareNomadBinaries} from './role.js'

/** setup_nomad: the Consul policies and tokens of Nomad's agents (on the first Consul server), then the agents. */
export default {
  ...meta,
  roles: [
    aclStep({
      description: "Makes sure the Consul policies and tokens of Nomad's servers and clients exist, each created once.",
      desired: nomadAclDesired,
      name: 'nomad_consul_acl',
      resolveFirst: {hosts: nomadHosts, prepare: prepareNomadBinaries},
      summary: "Nomad's Consul tokens.",
    }),
    nomadRole,
  ],
} satisfies RoleModule
