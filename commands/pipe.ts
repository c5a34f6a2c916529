import {Args} from '@oclif/core'

import {BaseCommand} from '../src/cli/base-command.js'
import {runFlags, runOptions} from '../src/cli/fanout-flags.js'
import {RUN_HELP} from '../src/cli/help-text.js'

export default class Pipe extends BaseCommand {
  static override args = {
    pattern: Args.string({description: 'Hosts to run on (Ansible host pattern).', required: true}),
  }
  static override description = `Reads commands from stdin, one per line (blank lines and # comments are skipped), and runs each on every
selected host before the next line starts; each line is reported on its own. Lines are separate commands: use
heredoc when state such as cd must carry over. --json prints {"steps":[{"command", "results", "summary"}], "summary"}.

${RUN_HELP}`
  static override examples = [
    "echo 'df -h /' | <%= config.bin %> pipe all",
    '<%= config.bin %> pipe slurm_compute < checks.txt',
  ]
  static override flags = runFlags
  static override summary = 'Run each line of stdin as a command on hosts.'

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Pipe)
    const [{readStdin}, {runPipe}, {pipeRenderer, pipeSteps}] = await Promise.all([
      import('../src/cli/stdin.js'),
      import('../src/services/pipe.js'),
      import('../src/cli/render/pipe.js'),
    ])
    const text = await readStdin('pipe', `echo 'uptime' | goldentooth pipe ${args.pattern}`)
    const onStep = this.jsonEnabled() ? undefined : pipeSteps(flags.raw)
    this.report(await runPipe(args.pattern, text, {...runOptions(flags), onStep}), pipeRenderer)
  }
}
