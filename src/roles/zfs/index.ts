import type {RoleModule} from '../role-module.js'

import meta from './meta.js'
import {zfsRole} from './role.js'

export default {...meta, roles: [zfsRole]} satisfies RoleModule
