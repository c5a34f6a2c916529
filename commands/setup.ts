import {Args, type Command, Flags} from '@oclif/core'

import type {RoleEntry} from '../src/roles/catalog.js'

import {BaseCommand} from '../src/cli/base-command.js'
import {convergeFlags, convergeOptions} from '../src/cli/converge-flags.js'
import {PATTERN_HELP} from '../src/cli/help-text.js'

const CONVERGE_HELP = `Targets default to the role's own groups; PATTERN (or --limit) narrows them. Each host costs one probe round
trip (facts and the state of everything the role manages); hosts with something to change get one more, which
uploads the changes and applies them with one script. A changed config or unit restarts exactly the services that
read it, once, at the end; a pending-restart marker written first makes an interrupted run restart them next time.

${PATTERN_HELP}

EXIT CODES
  0    converged (or, with --check, nothing to change unless --detailed-exitcode)
  1    a host failed or was unreachable
  2    usage error; with --check --detailed-exitcode: changes are pending
  3    inventory, template or role configuration invalid
  130  interrupted by Ctrl-C: no new host, batch or role starts; running applies finish (Ctrl-C again stops them)
  143  terminated by SIGTERM (129: SIGHUP), handled like Ctrl-C`

/** The setup_<role> command of one catalog entry. */
export function setupCommand(entry: RoleEntry): Command.Class {
  const optionNames = Object.keys(entry.options ?? {})
  const optionFlags = Object.fromEntries(
    Object.entries(entry.options ?? {}).map(([name, option]) => [name, Flags.string({summary: option.summary})]),
  )
  return class SetupRole extends BaseCommand {
    static override args = {pattern: Args.string({description: "Narrow the role's hosts (Ansible host pattern)."})}
    static override description = CONVERGE_HELP
    static override examples = [
      `<%= config.bin %> ${entry.command}`,
      `<%= config.bin %> ${entry.command} --check --diff`,
      `<%= config.bin %> ${entry.command} lab1 --serial 1`,
      `<%= config.bin %> ${entry.command} --check --detailed-exitcode --json`,
      ...Object.entries(entry.options ?? {}).map(
        ([name, option]) => `<%= config.bin %> ${entry.command} --${name} ${option.example}`,
      ),
    ]
    static override flags = {...convergeFlags, ...optionFlags}
    static override summary = entry.summary

    async run(): Promise<void> {
      const {args, flags} = await this.parse(SetupRole)
      const [{converge}, {convergeRenderer}, roles] = await Promise.all([
        import('../src/services/converge.js'),
        import('../src/cli/render/converge.js'),
        entry.load(),
      ])
      const given = flags as Record<string, unknown>
      const options = Object.fromEntries(
        optionNames.flatMap((name) => (typeof given[name] === 'string' ? [[name, given[name]]] : [])),
      )
      const report = await converge(roles, args.pattern, {...convergeOptions(flags), json: this.jsonEnabled(), options})
      this.report(report, convergeRenderer({detailedExitcode: flags['detailed-exitcode'], diff: flags.diff}))
    }
  }
}
