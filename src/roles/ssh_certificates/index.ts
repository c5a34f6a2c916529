import type {RoleModule} from '../role-module.js'

import meta from './meta.js'
import {sshCertificates, sshUserKeys} from './roles.js'

/** setup_ssh_certificates: root's key pair on every node first, then the certificates that certify it. */
export default {...meta, roles: [sshUserKeys, sshCertificates]} satisfies RoleModule
