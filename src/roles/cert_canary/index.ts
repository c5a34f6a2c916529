import type {RoleModule} from '../role-module.js'

import meta from './meta.js'
import {certCanaryRole} from './role.js'

export default {...meta, roles: [certCanaryRole]} satisfies RoleModule
