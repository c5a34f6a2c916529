import {EXIT, type ExitCode} from './exit-codes.js'

/**
 * An error the operator can act on: printed as one line (plus an optional hint), never with a stack trace.
 * Everything the tool throws on purpose is a GoldentoothError; anything else is a bug.
 */
export class GoldentoothError extends Error {
  readonly exitCode: ExitCode
  readonly hint: string | undefined

  constructor(message: string, exitCode: ExitCode, hint?: string) {
    super(message)
    this.name = new.target.name
    this.exitCode = exitCode
    this.hint = hint
  }
}

/** Bad flags, arguments or host patterns (exit 2). */
export class UsageError extends GoldentoothError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.usage, hint)
  }
}

export interface SourceLocation {
  file: string
  line: number
  col: number
}

export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.col}`
}

/** Invalid inventory, variables or templates (exit 3); the message starts with file:line:col when known. */
export class InvalidInputError extends GoldentoothError {
  readonly location: SourceLocation | undefined

  constructor(message: string, location?: SourceLocation, hint?: string) {
    super(location ? `${formatLocation(location)}: ${message}` : message, EXIT.invalid, hint)
    this.location = location
  }
}

/** The run itself failed in a way that is not one host's fault (exit 1). */
export class RunError extends GoldentoothError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.failed, hint)
  }
}

/** Ctrl-C (exit 130), SIGTERM (143) or SIGHUP (129) stopped work that has nothing else to report. */
export class InterruptedError extends GoldentoothError {
  constructor(exitCode: ExitCode) {
    super('interrupted', exitCode)
  }
}
