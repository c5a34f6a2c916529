import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../src/cli/base-command.js'
import {connectionFlags, connectionOptions} from '../src/cli/fanout-flags.js'
import {PATTERN_HELP} from '../src/cli/help-text.js'

export default class RotateCerts extends BaseCommand {
  static override args = {
    service: Args.string({
      description: 'The certificate to rotate: its cert-renewer@ instance, e.g. vault.',
      required: true,
    }),
    pattern: Args.string({description: 'Hosts to rotate on (Ansible host pattern; default all).'}),
  }
  static override description = `Re-issues SERVICE's certificate from the cluster CA with the request its role recorded
(/etc/goldentooth/certificates/SERVICE.env: names, lifetime, owner), even when it is still valid, then restarts or
reloads the service, on one host at a time (serial 1): the run stops at the first host that fails. Hosts without
that certificate are skipped. Use it after zap_cluster_ca, or when a key may have leaked.

${PATTERN_HELP}

EXIT CODES
  0    rotated (or skipped) everywhere
  1    a host failed or was unreachable (later hosts were not touched)
  2    usage error
  3    inventory invalid
  130  interrupted by Ctrl-C
  143  terminated by SIGTERM (129: SIGHUP)`
  static override examples = [
    '<%= config.bin %> rotate_certs vault',
    '<%= config.bin %> rotate_certs consul consul_server --json',
  ]
  static override flags = {
    ...connectionFlags,
    timeout: Flags.integer({default: 300, min: 0, summary: 'Seconds one host may take (0: no limit).'}),
  }
  static override summary = "Re-issue a service's certificate and restart it, one host at a time."

  async run(): Promise<void> {
    const {args, flags} = await this.parse(RotateCerts)
    const [{rotateCertificates}, {rotateProgress, rotateRenderer}] = await Promise.all([
      import('../src/services/rotate.js'),
      import('../src/cli/render/rotate.js'),
    ])
    const options = {...connectionOptions(flags), onHost: rotateProgress, timeout: flags.timeout}
    this.report(await rotateCertificates(args.service, args.pattern, options), rotateRenderer)
  }
}
