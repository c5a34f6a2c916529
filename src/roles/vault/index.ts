import type {RoleModule} from '../role-module.js'

import {aclStep} from '../shared/consul-acl/acl-step.js'
import meta from './meta.js'
import {prepareVaultBinaries, vaultAclDesired, vaultRole} from './role.js'
import {VAULT_GROUP} from './settings.js'

/** setup_vault: with Consul storage, its policy and token first (on the first Consul server), then the servers. */
export default {
  ...meta,
  roles: [
    aclStep({
      description:
        "Makes sure Vault's Consul storage policy (vault-storage) and token exist, each created once; nothing when " +
        'vault.storage is raft.',
      desired: vaultAclDesired,
      name: 'vault_consul_acl',
      resolveFirst: {hosts: (inventory) => inventory.groupHosts(VAULT_GROUP), prepare: prepareVaultBinaries},
      summary: "Vault's Consul storage token.",
    }),
    vaultRole,
  ],
} satisfies RoleModule
