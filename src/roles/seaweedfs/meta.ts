import type {RoleMeta} from '../role-module.js'

export default {
  name: 'seaweedfs',
  summary: 'SeaweedFS masters (odd, at least three), volume servers and filers from the verified release binary.',
} satisfies RoleMeta
