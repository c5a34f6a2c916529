import {Args} from '@oclif/core'

import {AdhocCommand} from '../src/cli/adhoc-command.js'
import {runFlags} from '../src/cli/fanout-flags.js'
import {RUN_HELP} from '../src/cli/help-text.js'

export default class Heredoc extends AdhocCommand {
  static override args = {
    pattern: Args.string({description: 'Hosts to run on (Ansible host pattern).', required: true}),
  }
  static override description = `Reads a script from stdin and runs it on every selected host as ONE program (state such as cd and variables
persists from line to line). The script is sent over the SSH channel into a private temporary file, never in a
command line; a #! line picks the interpreter, otherwise bash (sh where bash is missing).

${RUN_HELP}`
  static override examples = [
    `<%= config.bin %> heredoc consul_server <<'EOF'
cd /etc/consul.d
ls -l
EOF`,
  ]
  static override flags = runFlags
  static override summary = 'Run a script from stdin on hosts, as one program.'

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Heredoc)
    const {readStdin} = await import('../src/cli/stdin.js')
    const script = await readStdin('heredoc', `goldentooth heredoc ${args.pattern} <<'EOF' ... EOF`)
    await this.runOnHosts(args.pattern, {script}, flags)
  }
}
