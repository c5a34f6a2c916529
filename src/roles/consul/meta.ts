import type {RoleMeta} from '../role-module.js'

export default {
  name: 'consul',
  summary: 'Consul: odd server quorum, gossip encryption, step-ca TLS with auto-encrypt, ACLs bootstrapped once.',
} satisfies RoleMeta
