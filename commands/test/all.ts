import {Args} from '@oclif/core'

import {BaseCommand} from '../../src/cli/base-command.js'
import {HEALTH_HELP, healthFlags, healthOptions} from '../../src/cli/health-flags.js'

export default class TestAll extends BaseCommand {
  static override args = {pattern: Args.string({default: 'all', description: 'Hosts to check (Ansible host pattern).'})}
  static override description = `Runs every suite: system, time, ssh, certificates, step_ca, consul, vault, nomad, slurm, nfs, zfs,
seaweedfs and gpu.

${HEALTH_HELP}`
  static override examples = [
    '<%= config.bin %> test all',
    '<%= config.bin %> test all slurm_compute --verbose',
    '<%= config.bin %> test all --json',
    '<%= config.bin %> test all --prometheus /var/lib/node_exporter/goldentooth.prom --junit health.xml',
  ]
  static override flags = healthFlags
  static override summary = 'Check that every service is healthy where the inventory puts it.'

  async run(): Promise<void> {
    const {args, flags} = await this.parse(TestAll)
    const [{runHealth}, {healthRunRenderer}, {SUITE_NAMES}] = await Promise.all([
      import('../../src/services/health-run.js'),
      import('../../src/cli/render/health-run.js'),
      import('../../src/health/suite-names.js'),
    ])
    const report = await runHealth(SUITE_NAMES, args.pattern, healthOptions(flags))
    this.report(report, healthRunRenderer({verbose: flags.verbose}))
  }
}
