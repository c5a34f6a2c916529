import type {RoleMeta} from '../role-module.js'

export default {
  name: 'nfs_mounts',
  summary: 'Automounted NFS shares on every host: .mount/.automount units from nfs.mounts.',
} satisfies RoleMeta
