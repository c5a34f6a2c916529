import {InvalidInputError, type SourceLocation} from '../core/errors.js'

/** What went wrong: a value used while undefined, a template that does not parse, or any other evaluation error. */
export type TemplateErrorKind = 'undefined' | 'syntax' | 'error'

export interface TemplateErrorDetails {
  kind: TemplateErrorKind
  /** What went wrong, e.g. `'cluster_nmae' is undefined`. */
  problem: string
  /** The whole template text ('' when the problem is not inside a template, e.g. a variable that does not exist). */
  template: string
  /** Where in the template text (1-based). */
  line: number
  col: number
  /** Variables whose templates led here, outermost first: the last one's template is the one that failed. */
  variables?: readonly string[]
  host?: string
  /** Where the template is defined: the variable's file:line:col, or the template file. */
  location?: SourceLocation
}

export interface TemplateErrorContext {
  variable?: string
  host?: string
  location?: SourceLocation
}

const EXCERPT_WIDTH = 72

/** The line of the template the error is on, shortened around the column when it is long. */
function excerpt(template: string, line: number, col: number): string {
  const text = template.split('\n')[line - 1] ?? ''
  if (text.length <= EXCERPT_WIDTH) return JSON.stringify(text)
  const start = Math.max(0, Math.min(col - 1 - EXCERPT_WIDTH / 2, text.length - EXCERPT_WIDTH))
  const end = start + EXCERPT_WIDTH
  return JSON.stringify(`${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`)
}

function describe(details: TemplateErrorDetails): string {
  const subject = [
    details.host === undefined ? undefined : `host ${details.host}`,
    details.variables?.length ? `variable ${details.variables.map((name) => `'${name}'`).join(' → ')}` : undefined,
  ].filter((part) => part !== undefined)
  const quoted = excerpt(details.template, details.line, details.col)
  const where = !details.template
    ? ''
    : details.location && !details.variables?.length
      ? ` (in ${quoted})`
      : ` (at ${details.line}:${details.col} of ${quoted})`
  return `${subject.length ? `${subject.join(', ')}: ` : ''}${details.problem}${where}`
}

/**
 * A template that cannot be evaluated (exit 3). The message names the problem, the template text and the position in
 * it; withContext() adds the variable, the host and where the variable is defined.
 */
export class TemplateError extends InvalidInputError {
  readonly kind: TemplateErrorKind
  readonly problem: string
  readonly template: string
  readonly line: number
  readonly col: number
  readonly variables: readonly string[]
  readonly host: string | undefined

  constructor(details: TemplateErrorDetails) {
    super(describe(details), details.location)
    this.kind = details.kind
    this.problem = details.problem
    this.template = details.template
    this.line = details.line
    this.col = details.col
    this.variables = details.variables ?? []
    this.host = details.host
  }

  /** The variable the failing template belongs to (the innermost one). */
  get variable(): string | undefined {
    return this.variables.at(-1)
  }

  /**
   * The same error seen from an enclosing variable: the first host and location given are kept (they say where the
   * failing template is), and each variable is added in front of the ones already named.
   */
  withContext(context: TemplateErrorContext): TemplateError {
    const variables =
      context.variable === undefined || this.variables[0] === context.variable
        ? this.variables
        : [context.variable, ...this.variables]
    const host = this.host ?? context.host
    const location = this.location ?? context.location
    return new TemplateError({
      col: this.col,
      kind: this.kind,
      line: this.line,
      problem: this.problem,
      template: this.template,
      variables,
      ...(host !== undefined && {host}),
      ...(location !== undefined && {location}),
    })
  }
}
