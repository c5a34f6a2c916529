import type {Undefined} from './undefined.js'

/**
 * A problem found while evaluating a value (a type error, an undefined value used): the evaluator turns it into a
 * TemplateError at the position of the expression it was evaluating.
 */
export class TemplateFault extends Error {
  /** The Undefined whose use failed, when that is what happened. */
  readonly undefinedValue: Undefined | undefined

  constructor(message: string, undefinedValue?: Undefined) {
    super(message)
    this.name = 'TemplateFault'
    this.undefinedValue = undefinedValue
  }

  static undefined(value: Undefined): TemplateFault {
    return new TemplateFault(value.message, value)
  }
}
