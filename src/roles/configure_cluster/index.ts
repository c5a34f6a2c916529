import type {RoleModule} from '../role-module.js'

import meta from './meta.js'
import {configureClusterRole} from './role.js'

export default {...meta, roles: [configureClusterRole]} satisfies RoleModule
