import {CommandHelp, Help} from '@oclif/core'

import {reportUnknownCommand} from './command-not-found.js'

/**
 * Descriptions are written as prose wrapped in the source. Help shows each paragraph as one line for the terminal to
 * wrap (headings such as `EXIT CODES` and indented table lines stay as written), and the summary once, above USAGE.
 */
export function reflow(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((paragraph) =>
      paragraph
        .split('\n')
        .reduce<string[]>((lines, line) => {
          const previous = lines.at(-1)
          const keep = previous === undefined || /^\s/.test(line) || /^\s/.test(previous) || isHeading(previous)
          if (keep || isHeading(line)) lines.push(line)
          else lines[lines.length - 1] = `${previous} ${line}`
          return lines
        }, [])
        .join('\n'),
    )
    .join('\n\n')
}

function isHeading(line: string): boolean {
  return /^[A-Z][A-Z ]+$/.test(line)
}

class GoldentoothCommandHelp extends CommandHelp {
  protected override description(): string | undefined {
    const {description} = this.command
    return description ? this.wrap(reflow(description)) : undefined
  }
}

export default class GoldentoothHelp extends Help {
  protected override CommandHelpClass = GoldentoothCommandHelp

  /** `goldentooth help nosuch` and `goldentooth nosuch --help` say what `goldentooth nosuch` says. */
  override async showHelp(argv: string[]): Promise<void> {
    try {
      await super.showHelp(argv)
    } catch (error) {
      const unknown = error instanceof Error ? /^Command (.+) not found\.$/.exec(error.message) : null
      if (!unknown) throw error
      reportUnknownCommand(this.config, unknown[1]!)
    }
  }
}
