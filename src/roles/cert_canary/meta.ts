import type {RoleMeta} from '../role-module.js'

export default {
  name: 'cert_canary',
  summary: 'A short-lived certificate that fails loudly when renewal stops working.',
} satisfies RoleMeta
