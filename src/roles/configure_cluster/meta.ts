import type {RoleMeta} from '../role-module.js'

export default {
  command: 'configure_cluster',
  name: 'configure_cluster',
  summary:
    'Base OS for every node: hostname, /etc/hosts, time sync, kernel modules, sysctls, swap off, MOTD, root key.',
} satisfies RoleMeta
