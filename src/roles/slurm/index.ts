import type {RoleModule} from '../role-module.js'

import meta from './meta.js'
import {slurmRole} from './role.js'

export default {...meta, roles: [slurmRole]} satisfies RoleModule
