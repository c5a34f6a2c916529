import type {RoleMeta} from '../role-module.js'

export default {
  name: 'nomad',
  summary: 'Nomad: odd server quorum, mTLS, Consul and Vault integration, GPU node class and NVIDIA device plugin.',
} satisfies RoleMeta
