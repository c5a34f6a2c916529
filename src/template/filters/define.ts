import type {Filter, Test} from '../environment.js'
import {TemplateFault} from '../fault.js'
import {bindArguments} from '../signature.js'
import {Undefined} from '../undefined.js'
import {checkDefined, failUndefined, isInt, numberOf, typeName} from '../values.js'

/**
 * A filter with Python parameters after its input: `define(['default_value', 'boolean'], 0, (value, fallback,
 * boolean) => …)`. Parameters not given are JS undefined.
 */
export function define(
  parameters: readonly string[],
  required: number,
  body: (value: unknown, ...args: unknown[]) => unknown,
): Filter {
  return (value, args, kwargs, context) =>
    body(value, ...bindArguments(context.name, parameters, required, args, kwargs))
}

/** A test, declared as define() declares a filter. */
export function defineTest(
  parameters: readonly string[],
  required: number,
  body: (value: unknown, ...args: unknown[]) => boolean,
): Test {
  return (value, args, kwargs, context) =>
    body(value, ...bindArguments(context.name, parameters, required, args, kwargs))
}

/** A string argument, or the TypeError Python would raise. */
export function text(value: unknown, what = 'argument'): string {
  if (value instanceof Undefined) failUndefined(value)
  if (typeof value !== 'string') throw new TemplateFault(`${what} must be str, not ${typeName(value)}`)
  return value
}

/** An int argument (a bool counts), or the TypeError Python would raise. */
export function integer(value: unknown, what = 'argument'): number {
  checkDefined(value)
  if (!isInt(value) && typeof value !== 'boolean') {
    throw new TemplateFault(`${what}: '${typeName(value)}' object cannot be interpreted as an integer`)
  }
  return numberOf(value)
}
