import type {RoleMeta} from '../role-module.js'

export default {
  name: 'ssh_certificates',
  summary: 'SSH host and user certificates from the cluster CA; sshd and every node trust them (never a lock-out).',
} satisfies RoleMeta
