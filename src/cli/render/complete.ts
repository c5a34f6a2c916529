import type {Completion, CompletionScript} from '../../services/complete.js'
import type {Renderer} from '../renderer.js'

/** One candidate a line, as the shell scripts read them. */
export const completionRenderer: Renderer<Completion> = {
  text: (report) => ({stdout: report.candidates.map((candidate) => `${candidate}\n`).join('')}),
}

export const completionScriptRenderer: Renderer<CompletionScript> = {
  text: (report) => ({stdout: report.script}),
}
