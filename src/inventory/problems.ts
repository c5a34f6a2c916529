import {InvalidInputError, formatLocation, type SourceLocation} from '../core/errors.js'

export interface Problem {
  message: string
  location?: SourceLocation | undefined
  hint?: string | undefined
}

/** Every problem found in the inventory, reported together (exit 3). */
export class InventoryError extends InvalidInputError {
  readonly problems: readonly Problem[]

  constructor(problems: readonly Problem[]) {
    const only = problems.length === 1 ? problems[0] : undefined
    super(only ? only.message : summary(problems), only?.location, only?.hint)
    this.problems = problems
  }
}

function summary(problems: readonly Problem[]): string {
  const lines = problems.map(
    (p) =>
      `  ${p.location ? `${formatLocation(p.location)}: ` : ''}${p.message}${p.hint ? `\n    hint: ${p.hint}` : ''}`,
  )
  return `the inventory has ${problems.length} problems:\n${lines.join('\n')}`
}
