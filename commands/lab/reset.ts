import {Args} from '@oclif/core'

import {BaseCommand} from '../../src/cli/base-command.js'
import {LAB_EXIT_CODES} from '../../src/lab/help-text.js'

export default class LabReset extends BaseCommand {
  static override args = {node: Args.string({description: 'The node to reset, e.g. lab2.', required: true})}
  static override summary = 'Put one node back to the clean base and boot it again.'
  static override description = `Powers the node off, throws its overlay away (everything written since it booted), gives it a new sshd host
key (recorded in /var/lib/goldentooth/lab/known_hosts) and boots it again. Other nodes keep running.

${LAB_EXIT_CODES}`
  static override examples = ['<%= config.bin %> lab reset lab2', '<%= config.bin %> lab reset lab2 --json']

  async run(): Promise<unknown> {
    const {args} = await this.parse(LabReset)
    const {labReset} = await import('../../src/lab/reset.js')
    const {formatNodeTable, resetFailure} = await import('../../src/lab/report.js')
    const report = await labReset(args.node, (line) => process.stderr.write(`lab: ${line}\n`))
    if (this.jsonEnabled()) {
      if (report.failed.length > 0) process.exitCode = 1
      return report
    }
    this.log(formatNodeTable([report.node]))
    const failure = resetFailure(report)
    if (failure) throw failure
    return report
  }
}
