import type {RoleMeta} from '../role-module.js'

export default {
  name: 'zfs',
  options: {
    'force-wipe': {
      example: '/dev/sda',
      summary:
        'Wipe this device (typed exactly as zfs.pool.device names it) and create the pool on it when it is not blank.',
    },
  },
  summary: 'ZFS with sanoid snapshots and syncoid replication; ARC limit in MB; pools only on blank devices.',
} satisfies RoleMeta
