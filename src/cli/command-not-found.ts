import type {Hook, Interfaces} from '@oclif/core'

import {closeMatch} from '../inventory/suggest.js'
import {EXIT} from '../core/exit-codes.js'

/** One line naming the closest command, and exit 2 like any other usage error. */
export function reportUnknownCommand(config: Interfaces.Config, id: string): void {
  const spoken = (commandId: string) => commandId.replaceAll(':', ' ')
  const [first = id] = id.split(':')
  const name = config.findTopic(first) ? id : first
  const suggestion = closeMatch(name, config.commandIDs)
  process.stderr.write(
    `goldentooth: '${spoken(name)}' is not a goldentooth command` +
      `${suggestion ? ` (did you mean '${spoken(suggestion)}'?)` : ''}\n` +
      '  hint: goldentooth --help lists the commands\n',
  )
  process.exitCode = EXIT.usage
}

/** `goldentooth nosuch` (oclif's own message is two lines and exit 127). */
const commandNotFound: Hook<'command_not_found'> = async function ({config, id}) {
  reportUnknownCommand(config, id)
}

export default commandNotFound
