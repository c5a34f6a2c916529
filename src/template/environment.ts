/** What a filter or test can do besides computing on its arguments: call other filters and tests by name. */
export interface CallContext {
  /** The name the template used for this filter or test (for error messages). */
  readonly name: string
  callFilter(name: string, value: unknown, args: unknown[], kwargs: Record<string, unknown>): unknown
  callTest(name: string, value: unknown, args: unknown[], kwargs: Record<string, unknown>): boolean
  hasFilter(name: string): boolean
  hasTest(name: string): boolean
}

/**
 * A filter: `value | name(args, key=value)`. Values are Python values as goldentooth represents them (see values.ts:
 * null, booleans, numbers, PyFloat, strings, arrays, plain objects, Undefined). An error a filter throws becomes a
 * TemplateError at the filter, with the error's message.
 */
export type Filter = (value: unknown, args: unknown[], kwargs: Record<string, unknown>, context: CallContext) => unknown

/** A test: `value is name(args)`. */
export type Test = (value: unknown, args: unknown[], kwargs: Record<string, unknown>, context: CallContext) => boolean

/**
 * Filters and tests by the names templates use: Ansible's own are also named with their collection
 * (`ansible.builtin.to_json`, `ansible.legacy.to_json`); Jinja2's are not.
 */
export interface Environment {
  readonly filters: ReadonlyMap<string, Filter>
  readonly tests: ReadonlyMap<string, Test>
}
