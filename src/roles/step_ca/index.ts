import type {RoleModule} from '../role-module.js'

import meta from './meta.js'
import {clusterCa, stepCa, stepCaService} from './roles.js'

export default {...meta, roles: [stepCa, stepCaService, clusterCa]} satisfies RoleModule
