import {Args} from '@oclif/core'

import {BaseCommand} from '../../src/cli/base-command.js'
import {HEALTH_HELP, healthFlags, healthOptions} from '../../src/cli/health-flags.js'

export default class Test extends BaseCommand {
  static override args = {
    suite: Args.string({description: 'One or more suites (goldentooth test list names them).', required: true}),
    pattern: Args.string({description: 'Hosts to check (Ansible host pattern; default all).'}),
  }
  static override description = `Runs the named suites: every argument that names a suite is a suite; a last argument that does not is the
host pattern. A group that is also a suite name (consul, slurm, …) is read as the suite: narrow with --limit instead.

${HEALTH_HELP}`
  static override examples = [
    '<%= config.bin %> test consul',
    '<%= config.bin %> test system time lab2',
    '<%= config.bin %> test slurm --limit slurm_compute --json',
    '<%= config.bin %> test certificates --retry-timeout 60',
  ]
  static override flags = healthFlags
  static override strict = false
  static override summary = 'Run health suites on the hosts that have their services.'
  static override usage = 'test SUITE... [PATTERN] [FLAGS]'

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Test)
    const [{runHealth}, {healthRunRenderer}, {suitesAndPattern}] = await Promise.all([
      import('../../src/services/health-run.js'),
      import('../../src/cli/render/health-run.js'),
      import('../../src/health/arguments.js'),
    ])
    const {pattern, suites} = suitesAndPattern(argv as string[])
    this.report(await runHealth(suites, pattern, healthOptions(flags)), healthRunRenderer({verbose: flags.verbose}))
  }
}
