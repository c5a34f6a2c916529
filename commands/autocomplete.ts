import path from 'node:path'

import {Args} from '@oclif/core'

import type {Shell} from '../src/services/complete.js'

import {BaseCommand} from '../src/cli/base-command.js'
import {UsageError} from '../src/core/errors.js'

const SHELLS: readonly Shell[] = ['bash', 'zsh', 'fish']

export default class Autocomplete extends BaseCommand {
  static override args = {
    shell: Args.string({description: 'The shell (default: the one $SHELL names).', options: [...SHELLS]}),
  }
  static override description = `Prints the completion script for SHELL, with the line that loads it at the top. The script completes command
names, flags, suites, roles, lab nodes and host patterns (groups and hosts of the inventory given with -i, else
GOLDENTOOTH_INVENTORY, else ./inventory). Completing never connects to a host and never asks for a vault password.`
  static override enableJsonFlag = false
  static override examples = [
    'echo \'eval "$(<%= config.bin %> autocomplete bash)"\' >> ~/.bashrc',
    'echo \'eval "$(<%= config.bin %> autocomplete zsh)"\' >> ~/.zshrc',
    '<%= config.bin %> autocomplete fish > ~/.config/fish/completions/<%= config.bin %>.fish',
  ]
  static override summary = 'Print the shell completion script (bash, zsh or fish).'

  async run(): Promise<void> {
    const {args} = await this.parse(Autocomplete)
    const shell = (args.shell ?? path.basename(process.env.SHELL ?? '')) as Shell
    if (!SHELLS.includes(shell))
      throw new UsageError(
        `cannot tell the shell from SHELL=${process.env.SHELL ?? ''}`,
        `name it: goldentooth autocomplete ${SHELLS.join('|')}`,
      )
    const [{completionScript}, {completionScriptRenderer}] = await Promise.all([
      import('../src/services/complete.js'),
      import('../src/cli/render/complete.js'),
    ])
    this.report(completionScript(shell), completionScriptRenderer)
  }
}
