import type {RoleMeta} from '../role-module.js'

export default {
  name: 'vault',
  summary: 'Vault: step-ca TLS, Consul (own token) or Raft storage, AWS KMS or Shamir seal (vault init/unseal).',
} satisfies RoleMeta
