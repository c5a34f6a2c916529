import type {RoleModule} from '../role-module.js'

import meta from './meta.js'
import {seaweedfsRole} from './role.js'

export default {...meta, roles: [seaweedfsRole]} satisfies RoleModule
