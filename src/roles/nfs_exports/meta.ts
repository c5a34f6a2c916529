import type {RoleMeta} from '../role-module.js'

export default {
  name: 'nfs_exports',
  summary: 'NFS exports from each nfs_server host’s nfs_exports (export roots 0755).',
} satisfies RoleMeta
