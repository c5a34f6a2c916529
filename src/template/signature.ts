import {TemplateFault} from './fault.js'

/**
 * Python's argument binding for a function `name(p0, p1, …)`: positional arguments first, then keywords. The first
 * `required` parameters must be given; the others are JS undefined when absent.
 */
export function bindArguments(
  name: string,
  parameters: readonly string[],
  required: number,
  args: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
): unknown[] {
  if (args.length > parameters.length) {
    throw new TemplateFault(`${name}() takes at most ${parameters.length} argument(s) (${args.length} given)`)
  }
  const values: unknown[] = [...args]
  for (const [key, value] of Object.entries(kwargs)) {
    const index = parameters.indexOf(key)
    if (index === -1) throw new TemplateFault(`${name}() got an unexpected keyword argument '${key}'`)
    if (index < args.length) throw new TemplateFault(`${name}() got multiple values for argument '${key}'`)
    values[index] = value
  }
  for (let i = 0; i < required; i++) {
    if (values[i] === undefined) throw new TemplateFault(`${name}() missing required argument '${parameters[i]}'`)
  }
  return values
}
