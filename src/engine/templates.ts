import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import nunjucks from 'nunjucks'

import type {Vars} from '../inventory/model.js'

import {InvalidInputError} from '../cli/errors.js'
import {packageRoot} from '../cli/package-root.js'

/**
 * Jinja-compatible templates (nunjucks), rendered strictly: an undefined variable is an error naming the template and
 * line. `templates/<role>/<file>.j2`; a file with the same relative path in an override directory wins.
 */
export class Templates {
  private readonly environment: nunjucks.Environment

  readonly searchPath: readonly string[]

  constructor(searchPath: readonly string[]) {
    this.searchPath = searchPath
    this.environment = new nunjucks.Environment(new nunjucks.FileSystemLoader([...searchPath], {noCache: true}), {
      autoescape: false,
      throwOnUndefined: true,
      trimBlocks: true,
    })
    this.environment.addFilter('to_json', (value: unknown) => JSON.stringify(value))
    this.environment.addFilter('hcl', (value: unknown) =>
      JSON.stringify(value)
        .replaceAll('${', () => '$${')
        .replaceAll('%{', () => '%%{'),
    )
    this.environment.addFilter('octal', (value: number) => value.toString(8).padStart(4, '0'))
  }

  /** `--templates DIR` first, then `templates/` next to the inventory, then the built-in templates. */
  static forInventory(inventoryBaseDir: string, overrideDir?: string): Templates {
    const candidates = [overrideDir, path.join(inventoryBaseDir, 'templates')].filter(
      (dir): dir is string => dir !== undefined && existsSync(dir),
    )
    return new Templates([...candidates.map((dir) => path.resolve(dir)), path.join(packageRoot(), 'templates')])
  }

  /** Which file a template name resolves to (for messages and `render --explain`). */
  locate(name: string): string | undefined {
    return this.searchPath.map((dir) => path.join(dir, name)).find((file) => existsSync(file))
  }

  render(name: string, vars: Vars): string {
    const file = this.locate(name)
    if (!file) throw new InvalidInputError(`template ${name} not found in ${this.searchPath.join(', ')}`)
    try {
      return this.environment.render(name, vars)
    } catch (error) {
      throw templateError(file, error)
    }
  }
}

/** nunjucks reports `(path) [Line 3, Column 12]\n  Error: …`; turn that into file:line:col and one message. */
function templateError(file: string, error: unknown): InvalidInputError {
  const text = error instanceof Error ? error.message : String(error)
  const position = /\[Line (\d+), Column (\d+)\]/.exec(text)
  const detail = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('('))
    .at(-1)
    ?.replace(/^Error: /, '')
  const line = position ? Number(position[1]) : 1
  const col = position ? Number(position[2]) : 1
  const expression = detail?.includes('undefined') ? expressionAt(file, line, col) : undefined
  const message = expression
    ? `'${expression}' is undefined for this host (define it in the inventory or pass a default)`
    : (detail ?? text)
  return new InvalidInputError(message, {col, file: path.relative(process.cwd(), file) || file, line})
}

/** The `{{ … }}` expression around a position, for a message that names the missing variable. */
function expressionAt(file: string, line: number, col: number): string | undefined {
  const text = readFileSync(file, 'utf8').split('\n')[line - 1] ?? ''
  const start = text.lastIndexOf('{{', col)
  const end = text.indexOf('}}', start)
  return start === -1 || end === -1 ? undefined : text.slice(start + 2, end).trim()
}
