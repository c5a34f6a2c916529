import {literalEval} from './literal-eval.js'
import {pyStr} from './repr.js'
import {Undefined} from './undefined.js'
import {LazyMapping, PyCallable, isDict, isTuple, mappingEntries, setItem, tuple} from './values.js'

/** An output that ansible_eval_concat keeps as text (Ansible's NativeJinjaText). */
export class NativeText {
  readonly text: string

  constructor(text: string) {
    this.text = text
  }
}

/** The outputs as one text (Ansible's ansible_concat). */
export function concat(outputs: unknown[]): string {
  return outputs.map((output) => (output instanceof NativeText ? output.text : pyStr(output))).join('')
}

const NOT_PLAIN = Symbol('not plain')

/**
 * A copy of a value that Python's repr() and literal_eval() would give back unchanged, mappings made plain; NOT_PLAIN
 * when it holds something literal_eval cannot read back (a method).
 */
function plainData(value: unknown): unknown {
  if (value instanceof PyCallable || value instanceof Undefined) return NOT_PLAIN
  if (Array.isArray(value)) {
    const items = value.map(plainData)
    if (items.includes(NOT_PLAIN)) return NOT_PLAIN
    return isTuple(value) ? tuple(items) : items
  }
  if (value instanceof LazyMapping || isDict(value)) {
    const out: Record<string, unknown> = {}
    for (const [key, item] of mappingEntries(value)) {
      const plain = plainData(item)
      if (plain === NOT_PLAIN) return NOT_PLAIN
      setItem(out, key, plain)
    }
    return out
  }
  return value
}

/** ansible_eval_concat: the outputs joined as text; text that reads as a list, dict or bool becomes that value. */
export function evalConcat(outputs: unknown[]): unknown {
  if (outputs.length === 0) return ''
  if (outputs.length === 1) {
    const [only] = outputs
    if (only instanceof NativeText) return only.text
    if ((Array.isArray(only) && !isTuple(only)) || only instanceof LazyMapping || isDict(only)) {
      const plain = plainData(only)
      if (plain !== NOT_PLAIN) return plain
    }
  }
  const text = concat(outputs)
  if (text.startsWith('{') || text.startsWith('[') || text === 'True' || text === 'False') {
    const value = literalEval(text)
    if (value !== undefined) return value
  }
  return text
}
