import {
  TemplateError,
  Undefined,
  renderTemplate,
  templateValue,
  type Filter,
  type TemplateScope,
} from '../../src/template/index.js'

/** A scope over plain variables, as a role passes them to its templates. */
export function scopeOf(vars: Record<string, unknown> = {}): TemplateScope {
  return {lookup: (name) => (Object.hasOwn(vars, name) ? vars[name] : new Undefined(name))}
}

/** The template's value as a variable's value would be templated. */
export function value(template: string, vars: Record<string, unknown> = {}): unknown {
  return templateValue(template, scopeOf(vars))
}

/** The template rendered as a role template file. */
export function render(template: string, vars: Record<string, unknown> = {}, filters?: Record<string, Filter>): string {
  return renderTemplate(template, scopeOf(vars), {name: 'role/file.j2', ...(filters && {filters})})
}

/** The TemplateError the work throws (anything else fails the test). */
export function failure(work: () => unknown): TemplateError {
  try {
    work()
  } catch (error) {
    if (error instanceof TemplateError) return error
    throw error
  }
  throw new Error('expected a TemplateError')
}
