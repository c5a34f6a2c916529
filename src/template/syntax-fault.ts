/** A template that does not parse, at an offset into its (normalised) text. */
export class SyntaxFault extends Error {
  readonly offset: number | undefined

  constructor(message: string, offset?: number) {
    super(message)
    this.name = 'SyntaxFault'
    this.offset = offset
  }
}
