import type {RemoteWork} from '../services/run.js'

import {BaseCommand} from './base-command.js'
import {type RunFlagValues, runOptions} from './fanout-flags.js'

/** An ad-hoc command: one thing run on every host a pattern selects, reported folded (or streamed with -v). */
export abstract class AdhocCommand extends BaseCommand {
  protected async runOnHosts(pattern: string, work: RemoteWork, flags: RunFlagValues): Promise<void> {
    const [{runOnHosts}, {liveOutput, runRenderer}] = await Promise.all([
      import('../services/run.js'),
      import('./render/run.js'),
    ])
    const live = flags.verbose && !this.jsonEnabled() ? liveOutput(flags.raw) : undefined
    const report = await runOnHosts(pattern, work, {...runOptions(flags), live})
    this.report(report, runRenderer({raw: flags.raw, streamed: live !== undefined}))
  }
}
