/** Whether the text holds template syntax at all (`{{`, `{%` or `{#`): Ansible's is_possibly_template. */
export function holdsTemplate(text: string): boolean {
  return text.includes('{{') || text.includes('{%') || text.includes('{#')
}
