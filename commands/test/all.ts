import {Args} from '@oclif/core'

import {BaseCommand} from '../../src/cli/base-command.js'
import {HEALTH_HELP, healthFlags} from '../../src/cli/health-flags.js'

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

  async run(): Promise<unknown> {
    const {args, flags} = await this.parse(TestAll)
    const [{runHealth}, {SUITE_NAMES}] = await Promise.all([
      import('../../src/health/run.js'),
      import('../../src/health/model.js'),
    ])
    const {exitCode, json} = await runHealth(SUITE_NAMES, args.pattern, {...flags, json: this.jsonEnabled()})
    process.exitCode = exitCode
    return json
  }
}
