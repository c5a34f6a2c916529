import {compile} from './compile.js'
import type {Environment, Filter} from './environment.js'
import {TemplateError} from './errors.js'
import {concat, evalConcat} from './concat.js'
import {renderOutputs} from './evaluate.js'
import {FILTERS} from './filters/index.js'
import {holdsTemplate} from './holds-template.js'
import type {TemplateScope} from './scope.js'
import {TESTS} from './tests.js'
import {PyFloat, isDict, setItem} from './values.js'

const DEFAULT_ENVIRONMENT: Environment = {filters: FILTERS, tests: TESTS}
const environments = new WeakMap<Record<string, Filter>, Environment>()

function environmentWith(filters: Record<string, Filter> | undefined): Environment {
  if (!filters) return DEFAULT_ENVIRONMENT
  let environment = environments.get(filters)
  if (!environment) {
    environment = {filters: new Map([...FILTERS, ...Object.entries(filters)]), tests: TESTS}
    environments.set(filters, environment)
  }
  return environment
}

function trailingNewlines(text: string): number {
  return text.length - text.replace(/\n+$/, '').length
}

/** Ansible keeps the template's trailing newlines that Jinja2 drops (preserve_trailing_newlines). */
function withTrailingNewlines(result: string, template: string): string {
  const missing = trailingNewlines(template) - trailingNewlines(result)
  return missing > 0 ? result + '\n'.repeat(missing) : result
}

function located(error: unknown, name: string | undefined): unknown {
  if (!(error instanceof TemplateError) || name === undefined) return error
  return error.withContext({location: {col: error.col, file: name, line: error.line}})
}

/**
 * A role template file, rendered as Ansible's template module does (trim_blocks, lstrip_blocks off, the template's
 * trailing newlines kept). Custom filters (e.g. `hcl`) can be added. Throws TemplateError naming the file.
 */
export function renderTemplate(
  source: string,
  scope: TemplateScope,
  options: {name: string; filters?: Record<string, Filter>},
): string {
  try {
    const outputs = renderOutputs(
      compile(source, {escapeBackslashes: false}),
      scope,
      environmentWith(options.filters),
      false,
    )
    return withTrailingNewlines(concat(outputs), source)
  } catch (error) {
    throw located(error, options.name)
  }
}

const SINGLE_VARIABLE = /^\{\{\s*([\p{L}\p{N}\p{Mn}\p{Pc}]*)\s*\}\}\n?$/u

function templateString(text: string, scope: TemplateScope, name: string | undefined): unknown {
  if (!holdsTemplate(text)) return text
  const single = SINGLE_VARIABLE.exec(text)?.[1]
  if (single !== undefined) {
    const raw = scope.raw ? scope.raw(single) : scope.lookup(single)
    if (raw === null || typeof raw === 'boolean' || typeof raw === 'number' || raw instanceof PyFloat) {
      return raw
    }
  }
  try {
    const compiled = compile(text, {escapeBackslashes: true})
    const result = evalConcat(renderOutputs(compiled, scope, DEFAULT_ENVIRONMENT, true))
    return typeof result === 'string' ? withTrailingNewlines(result, text) : result
  } catch (error) {
    throw located(error, name)
  }
}

/**
 * A variable's value as Ansible 2.14 templates it (Templar.template with convert_data, jinja2_native off): lists and
 * dicts element by element, a string without template syntax as it is, otherwise the template's output as text,
 * read back as a list, dict or bool when it looks like one. Throws TemplateError.
 */
export function templateValue(value: unknown, scope: TemplateScope, options: {name?: string} = {}): unknown {
  if (typeof value === 'string') return templateString(value, scope, options.name)
  if (Array.isArray(value)) return value.map((item) => templateValue(item, scope, options))
  if (isDict(value)) {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) setItem(out, key, templateValue(item, scope, options))
    return out
  }
  return value
}
