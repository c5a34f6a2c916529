import {Flags} from '@oclif/core'

import {BaseCommand, inventoryFlag} from '../src/cli/base-command.js'
import {inventorySource} from '../src/cli/fanout-flags.js'
import {EXIT_CODES_HELP} from '../src/core/exit-codes.js'

export default class ZapClusterCa extends BaseCommand {
  static override description = `Stops step-ca on the CA host (the first host of step_ca) and deletes everything in its directory
(step_ca.ca.etc_path, /etc/step-ca): root and intermediate keys, SSH CA keys, ca.json, the certificate database.
The next setup_step_ca initialises a new CA, and every certificate the old one issued stops verifying until it is
issued again (rotate_certs SERVICE). Without --confirm naming the CA host exactly it only says what it would delete.

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> zap_cluster_ca', '<%= config.bin %> zap_cluster_ca --confirm jast']
  static override flags = {
    confirm: Flags.string({summary: 'The CA host name, exactly: nothing is deleted without it.'}),
    'connect-timeout': Flags.integer({default: 10, min: 1, summary: 'Seconds to wait for the CA host.'}),
    inventory: inventoryFlag,
    'ssh-config': Flags.string({env: 'GOLDENTOOTH_SSH_CONFIG', summary: 'OpenSSH client config (ssh -F).'}),
    'vault-password-file': Flags.string({
      env: 'ANSIBLE_VAULT_PASSWORD_FILE',
      summary: 'Password file for Ansible Vault files.',
    }),
  }
  static override summary = 'Delete the cluster CA so it can be initialised again (needs --confirm <CA host>).'

  async run(): Promise<void> {
    const {flags} = await this.parse(ZapClusterCa)
    const [{zapClusterCa}, {zapRenderer}] = await Promise.all([
      import('../src/services/zap.js'),
      import('../src/cli/render/zap.js'),
    ])
    const report = await zapClusterCa({
      ...inventorySource(flags),
      confirm: flags.confirm,
      connectTimeout: flags['connect-timeout'],
      sshConfig: flags['ssh-config'],
    })
    this.report(report, zapRenderer)
  }
}
