import type {RenderedFile} from './render.js'
import type {Validator} from './validator.js'

/** One problem HashiCorp's HCL parser found, at file:line:col. */
export interface HclProblem {
  col: number
  file: string
  line: number
  message: string
}

export class HclSyntaxError extends Error {
  readonly problems: HclProblem[]

  constructor(problems: HclProblem[]) {
    super(problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`).join('\n'))
    this.problems = problems
  }
}

function escapeRegExp(text: string): string {
  return text.replaceAll(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`)
}

/**
 * The parser reports `parse config: [f.hcl:7,24-8,1: Summary; Detail. f.hcl:11,10-16: Summary; Detail.]`: split it
 * into one problem per diagnostic.
 */
export function hclProblems(file: string, message: string): HclProblem[] {
  const body = message.replace(/^parse config: \[/, '').replace(/\]$/, '')
  const start = new RegExp(`(?:^| )${escapeRegExp(file)}:(\\d+),(\\d+)(?:-\\d+(?:,\\d+)?)?: `, 'g')
  const marks = [...body.matchAll(start)]
  if (marks.length === 0) return [{col: 1, file, line: 1, message: body}]
  return marks.map((mark, index) => {
    const end = marks[index + 1]?.index ?? body.length
    const text = body.slice(mark.index + mark[0].length, end).trim()
    return {col: Number(mark[2]), file, line: Number(mark[1]), message: text.replace(/;\s*/, ': ')}
  })
}

/**
 * Parse HCL with HashiCorp's own parser (hclsyntax, built to WASM and published as @cdktf/hcl2json) into the JSON
 * shape HashiCorp tools see: blocks become arrays, labelled blocks maps of arrays. Throws HclSyntaxError.
 */
export async function parseHcl(file: string, text: string): Promise<Record<string, unknown>> {
  const {parse} = await import('@cdktf/hcl2json')
  try {
    return (await parse(file, text)) as Record<string, unknown>
  } catch (error) {
    throw new HclSyntaxError(hclProblems(file, error instanceof Error ? error.message : String(error)))
  }
}

function isHcl(file: RenderedFile): boolean {
  return file.path.endsWith('.hcl') && !file.partial && !file.secret
}

/** Every rendered `.hcl` file parses (secret files are not rendered, so they are checked by the roles' tests). */
export const hclParse: Validator = {
  applies: isHcl,
  name: 'HCL parse',
  async run(files, hosts) {
    return Promise.all(
      files.map(async (file) => {
        try {
          await parseHcl(file.path, file.content.toString('utf8'))
          return {errors: [], file: file.path, hosts, notes: [], validator: this.name}
        } catch (error) {
          if (!(error instanceof HclSyntaxError)) throw error
          const errors = error.problems.map((p) => `line ${p.line}, column ${p.col}: ${p.message}`)
          return {errors, file: file.path, hosts, notes: [], validator: this.name}
        }
      }),
    )
  },
}
