import type {RoleModule} from '../role-module.js'

import meta from './meta.js'
import {nfsMountsRole} from './role.js'

export default {...meta, roles: [nfsMountsRole]} satisfies RoleModule
