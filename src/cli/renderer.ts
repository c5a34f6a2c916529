/** What a command prints for people: its stdout, then its stderr. */
export interface Text {
  stderr?: string
  stdout?: string
}

/**
 * How a command shows a service's report: the text for people, the `--json` document (the report itself when
 * `json` is left out) and the exit code (0 when `exitCode` is left out).
 */
export interface Renderer<R> {
  exitCode?: (report: R) => number
  json?: (report: R) => unknown
  text: (report: R) => Text
}

export function writeText(text: Text): void {
  if (text.stdout) process.stdout.write(text.stdout)
  if (text.stderr) process.stderr.write(text.stderr)
}

/** An error the operator can act on, as every command shows one: `goldentooth: MESSAGE` and its hint. */
export function errorText(error: {hint?: string | undefined; message: string}): string {
  return `goldentooth: ${error.message}\n${error.hint ? `  hint: ${error.hint}\n` : ''}`
}
