/** The variables a template sees. */
export interface TemplateScope {
  /** The variable's value (templated, for inventory variables), or an Undefined when there is no such variable. */
  lookup(name: string): unknown
  /**
   * The variable's value before templating, when the scope has one. Ansible returns a variable whose raw value is a
   * number, a bool or None as it is when a whole template is just `{{ name }}`, instead of printing it to text.
   */
  raw?(name: string): unknown
}
