import type {RoleModule} from '../role-module.js'

import meta from './meta.js'
import {gpuRole} from './role.js'

export default {...meta, roles: [gpuRole]} satisfies RoleModule
