import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'

import {InvalidInputError} from '../core/errors.js'
import {packageRoot} from '../core/package-root.js'
import {type Filter, pyStr, renderTemplate, type TemplateScope} from '../template/index.js'
import {shq} from '../transport/quote.js'

/**
 * Role templates, rendered as Ansible's template module renders them (Jinja2 semantics, trim_blocks), strictly: an
 * undefined variable is an error naming the template file, line and column. `templates/<role>/<file>.j2`; a file with
 * the same relative path in an override directory wins.
 */
export class Templates {
  readonly searchPath: readonly string[]
  private readonly sources = new Map<string, string>()

  constructor(searchPath: readonly string[]) {
    this.searchPath = searchPath
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

  render(name: string, scope: TemplateScope): string {
    const file = this.locate(name)
    if (!file) throw new InvalidInputError(`template ${name} not found in ${this.searchPath.join(', ')}`)
    let source = this.sources.get(file)
    if (source === undefined) {
      source = readFileSync(file, 'utf8')
      this.sources.set(file, source)
    }
    return renderTemplate(source, scope, {filters: FILTERS, name: path.relative(process.cwd(), file) || file})
  }
}

/**
 * goldentooth's own filters for role templates: `hcl`, a value as an HCL literal (`${` and `%{` escaped); `shq`, a
 * string quoted for a POSIX shell as goldentooth quotes its own commands (Ansible's `quote` quotes differently).
 */
const FILTERS: Record<string, Filter> = {
  hcl: (value) =>
    JSON.stringify(value)
      .replaceAll('${', () => '$${')
      .replaceAll('%{', () => '%%{'),
  shq: (value) => shq(pyStr(value)),
}
