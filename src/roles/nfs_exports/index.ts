import type {RoleModule} from '../role-module.js'

import meta from './meta.js'
import {nfsExportsRole} from './role.js'

export default {...meta, roles: [nfsExportsRole]} satisfies RoleModule
