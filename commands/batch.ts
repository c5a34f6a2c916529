import {Args} from '@oclif/core'

import {AdhocCommand} from '../src/cli/adhoc-command.js'
import {runFlags} from '../src/cli/fanout-flags.js'
import {RUN_HELP} from '../src/cli/help-text.js'

export default class Batch extends AdhocCommand {
  static override args = {
    script: Args.file({description: 'Local script to run.', exists: true, required: true}),
    pattern: Args.string({description: 'Hosts to run on (Ansible host pattern).', required: true}),
  }
  static override description = `Uploads SCRIPT over each host's SSH connection into a private temporary file and runs it as one program
(a #! line picks the interpreter, otherwise bash), then removes it.

${RUN_HELP}`
  static override examples = [
    '<%= config.bin %> batch maintenance.sh slurm_compute',
    '<%= config.bin %> batch ./collect-facts.py all --json',
  ]
  static override flags = runFlags
  static override summary = 'Upload a local script to hosts and run it.'

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Batch)
    const {readFile} = await import('node:fs/promises')
    await this.runOnHosts(args.pattern, {script: await readFile(args.script, 'utf8')}, flags)
  }
}
