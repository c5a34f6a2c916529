import type {RoleMeta} from '../role-module.js'

export default {
  name: 'step_ca',
  summary: 'Cluster PKI: step-ca on the CA host, initialised once; the root trusted and step bootstrapped everywhere.',
} satisfies RoleMeta
