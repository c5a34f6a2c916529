import type {TemplateError} from './errors.js'

export interface Position {
  line: number
  col: number
}

/**
 * Jinja2's StrictUndefined as Ansible configures it: a missing variable, attribute or item. Reading an attribute or
 * item of it gives it back; printing, iterating, comparing, arithmetic or truth testing it raises an error naming it.
 */
export class Undefined {
  readonly name: string
  readonly hint?: string
  /** A variable that exists but whose own template used something undefined (Ansible's lazy undefined): that error. */
  readonly cause?: TemplateError
  /** Where the template referred to it. */
  readonly position?: Position
  /**
   * Jinja2's plain Undefined (the missing else of `a if b`): it prints as nothing, is false and empty, and only
   * arithmetic or attribute access on it fails.
   */
  readonly lenient: boolean

  constructor(
    name: string,
    options: {hint?: string; cause?: TemplateError; position?: Position; lenient?: boolean} = {},
  ) {
    this.name = name
    if (options.hint !== undefined) this.hint = options.hint
    if (options.cause !== undefined) this.cause = options.cause
    if (options.position !== undefined) this.position = options.position
    this.lenient = options.lenient ?? false
  }

  get message(): string {
    return this.hint ?? `'${this.name}' is undefined`
  }

  /** The same undefined value, remembering where the template referred to it (the first place wins). */
  at(position: Position): Undefined {
    if (this.position) return this
    return new Undefined(this.name, {
      ...(this.hint !== undefined && {hint: this.hint}),
      ...(this.cause !== undefined && {cause: this.cause}),
      lenient: this.lenient,
      position,
    })
  }
}
