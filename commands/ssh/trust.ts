import {Flags} from '@oclif/core'

import {BaseCommand, inventoryFlag} from '../../src/cli/base-command.js'
import {inventorySource} from '../../src/cli/fanout-flags.js'
import {EXIT_CODES_HELP} from '../../src/core/exit-codes.js'

export default class SshTrust extends BaseCommand {
  static override description = `Adds one line to your known_hosts:

  @cert-authority <every node's name and address, *.<cluster domain>> <host CA key> goldentooth-ssh-host-ca

so ssh, and goldentooth itself, accept any node that presents a host certificate from the cluster's SSH CA (made by
setup_ssh_certificates): no trust-on-first-use, and no warning when a node is rebuilt. The key comes from your own
secret store (ssh_certificates.ca: openssh) or from the step_ca host (step). A line from an earlier run is replaced,
so running it again after the CA changes is safe.

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> ssh trust',
    '<%= config.bin %> ssh trust --inventory inventory/lab --known-hosts ~/.ssh/known_hosts_lab',
  ]
  static override flags = {
    'connect-timeout': Flags.integer({default: 10, min: 1, summary: 'Seconds to wait for the CA host (step).'}),
    inventory: inventoryFlag,
    'known-hosts': Flags.string({summary: 'known_hosts file to add the line to (default: ~/.ssh/known_hosts).'}),
    'ssh-config': Flags.string({env: 'GOLDENTOOTH_SSH_CONFIG', summary: 'OpenSSH client config (ssh -F).'}),
    'vault-password-file': Flags.string({
      env: 'ANSIBLE_VAULT_PASSWORD_FILE',
      summary: 'Password file for Ansible Vault files.',
    }),
  }
  static override summary = "Trust the cluster's SSH host CA in your known_hosts."

  async run(): Promise<void> {
    const {flags} = await this.parse(SshTrust)
    const [{trustHostCa}, {trustRenderer}] = await Promise.all([
      import('../../src/services/trust.js'),
      import('../../src/cli/render/trust.js'),
    ])
    const report = await trustHostCa({
      ...inventorySource(flags),
      connectTimeout: flags['connect-timeout'],
      knownHosts: flags['known-hosts'],
      sshConfig: flags['ssh-config'],
    })
    this.report(report, trustRenderer)
  }
}
