export type StepStatus = 'changed' | 'failed' | 'skipped'

export interface StepReport {
  message: string
  status: StepStatus
}

export interface ApplyOutput {
  /** Handler results by marker (`restart@slurmd.service`, `daemon-reload`). */
  handlers: Map<string, StepReport>
  /** Another run held the host's lock for too long. */
  lockTimedOut: boolean
  steps: Map<number, StepReport>
}

/** Parse the apply script's `R INDEX STATUS BASE64` and `H MARKER STATUS BASE64` lines. */
export function parseApplyOutput(stdout: string): ApplyOutput {
  const output: ApplyOutput = {handlers: new Map(), lockTimedOut: false, steps: new Map()}
  for (const line of stdout.split('\n')) {
    if (line === 'L') output.lockTimedOut = true
    const match = /^([RH]) (\S+) (changed|failed|skipped) ?(\S*)$/.exec(line)
    if (!match) continue
    const report = {message: Buffer.from(match[4]!, 'base64').toString('utf8').trim(), status: match[3] as StepStatus}
    if (match[1] === 'R') output.steps.set(Number.parseInt(match[2]!, 10), report)
    else output.handlers.set(match[2]!, report)
  }
  return output
}
