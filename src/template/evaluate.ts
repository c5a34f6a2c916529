import {GoldentoothError} from '../core/errors.js'
import {PySlice, getAttribute, getItem} from './access.js'
import {arithmetic, unary} from './arithmetic.js'
import type {Expr, FilterExpr, Stmt, Target} from './ast.js'
import {compare, dictKey, pyContains, pyEquals} from './compare.js'
import type {CompiledTemplate} from './compile.js'
import {NativeText, concat, evalConcat} from './concat.js'
import type {CallContext, Environment} from './environment.js'
import {UNDEFINED_AWARE} from './filters/core.js'
import {TemplateError} from './errors.js'
import {TemplateFault} from './fault.js'
import {GLOBALS} from './globals.js'
import {pyStr} from './repr.js'
import type {TemplateScope} from './scope.js'
import {Undefined} from './undefined.js'
import {
  LazyMapping,
  Namespace,
  PyCallable,
  failUndefined,
  isDict,
  iterate,
  mappingEntries,
  setItem,
  templateOwned,
  tuple,
  truthy,
  typeName,
} from './values.js'

/** Ansible's STRING_TYPE_FILTERS: text they output directly is never read back as a list, dict or bool. */
const TEXT_FILTERS = new Set(['string', 'to_json', 'to_nice_json', 'to_yaml', 'to_nice_yaml'])

/** Local variables of `{% set %}` and `{% for %}`: each loop iteration gets a fresh frame over its parent. */
class Frame {
  readonly parent: Frame | undefined
  readonly vars = new Map<string, unknown>()

  constructor(parent?: Frame) {
    this.parent = parent
  }

  find(name: string): unknown {
    for (let frame: Frame | undefined = this; frame; frame = frame.parent) {
      if (frame.vars.has(name)) return frame.vars.get(name)
    }
    return undefined
  }
}

/**
 * Ansible's finalize for `{{ … }}` output: an undefined value anywhere inside a list or dict fails, None prints as
 * nothing.
 */
function finalize(value: unknown): unknown {
  const check = (item: unknown): void => {
    if (item instanceof Undefined && !item.lenient) failUndefined(item)
    if (Array.isArray(item)) item.forEach(check)
    else if (item instanceof LazyMapping || isDict(item)) for (const [, entry] of mappingEntries(item)) check(entry)
  }
  check(value)
  return value === null || value === undefined || value instanceof Undefined ? '' : value
}

/** Jinja2's `loop` for one iteration; `changed` remembers its last arguments across the loop's iterations. */
function loopContext(items: unknown[], index: number, changes: {last?: unknown[]}): Record<string, unknown> {
  const length = items.length
  return {
    changed: new PyCallable('loop.changed', (args) => {
      if (changes.last !== undefined && pyEquals(changes.last, args)) return false
      changes.last = args
      return true
    }),
    cycle: new PyCallable('loop.cycle', (args) => {
      if (args.length === 0) throw new TemplateFault('no items for cycling given')
      return args[index % args.length]
    }),
    depth: 1,
    depth0: 0,
    first: index === 0,
    index: index + 1,
    index0: index,
    last: index === length - 1,
    length,
    nextitem: index + 1 < length ? items[index + 1] : new Undefined('nextitem', {hint: 'there is no next item'}),
    previtem: index > 0 ? items[index - 1] : new Undefined('previtem', {hint: 'there is no previous item'}),
    revindex: length - index,
    revindex0: length - index - 1,
  }
}

class Renderer {
  private readonly template: CompiledTemplate
  private readonly scope: TemplateScope
  private readonly environment: Environment
  private readonly convertData: boolean

  constructor(template: CompiledTemplate, scope: TemplateScope, environment: Environment, convertData: boolean) {
    this.template = template
    this.scope = scope
    this.environment = environment
    this.convertData = convertData
  }

  private error(offset: number, problem: string, kind: 'undefined' | 'error'): TemplateError {
    return new TemplateError({kind, problem, template: this.template.text, ...this.template.position(offset)})
  }

  /** Any failure inside a node becomes a TemplateError at that node (an undefined value: where it was named). */
  private locate(error: unknown, offset: number): GoldentoothError {
    if (error instanceof GoldentoothError) return error
    if (error instanceof TemplateFault) {
      const value = error.undefinedValue
      if (value?.cause) return value.cause
      if (value) {
        const at = value.position ?? this.template.position(offset)
        return new TemplateError({kind: 'undefined', problem: value.message, template: this.template.text, ...at})
      }
      return this.error(offset, error.message, 'error')
    }
    const message = error instanceof Error ? error.message : String(error)
    return this.error(
      offset,
      /call stack/.test(message) ? `${message}: values or variables nest too deeply` : message,
      'error',
    )
  }

  checkNames(): void {
    for (const [name, offset] of this.template.filters) {
      if (!this.environment.filters.has(name)) throw this.error(offset, `unknown filter '${name}'`, 'error')
    }
    for (const [name, offset] of this.template.tests) {
      if (!this.environment.tests.has(name)) throw this.error(offset, `unknown test '${name}'`, 'error')
    }
  }

  /** Every output of the template in order: text as strings, `{{ … }}` values finalized. */
  render(): unknown[] {
    const out: unknown[] = []
    this.statements(this.template.body, new Frame(), out)
    return out
  }

  private statements(body: readonly Stmt[], frame: Frame, out: unknown[]): void {
    for (const node of body) this.statement(node, frame, out)
  }

  private statement(node: Stmt, frame: Frame, out: unknown[]): void {
    switch (node.type) {
      case 'text':
        out.push(node.value)
        return
      case 'output': {
        const value = this.expr(node.expr, frame)
        if (node.expr.type === 'filter' && TEXT_FILTERS.has(node.expr.name) && typeof value === 'string') {
          out.push(new NativeText(value))
          return
        }
        try {
          out.push(finalize(value))
        } catch (error) {
          throw this.locate(error, node.expr.offset)
        }
        return
      }
      case 'if':
        this.statements(this.truth(node.test, frame) ? node.body : node.otherwise, frame, out)
        return
      case 'for':
        this.loop(node, frame, out)
        return
      case 'set':
        this.assign(node.target, this.expr(node.expr, frame), frame)
        return
      case 'setattr': {
        const namespace = this.resolve(node.namespace, node.offset, frame)
        if (!(namespace instanceof Namespace))
          throw this.error(node.offset, 'can only set attributes on a namespace object (namespace())', 'error')
        namespace.attributes.set(node.attribute, this.expr(node.expr, frame))
        return
      }
      case 'setblock': {
        const parts: unknown[] = []
        this.statements(node.body, new Frame(frame), parts)
        const content = this.attempt(node.offset, () => (this.convertData ? evalConcat(parts) : concat(parts)))
        this.assign(node.target, node.filter ? this.filter(node.filter, frame, content) : content, frame)
        return
      }
    }
  }

  private loop(node: Extract<Stmt, {type: 'for'}>, frame: Frame, out: unknown[]): void {
    const iterable = this.expr(node.iter, frame)
    let items = this.attempt(node.iter.offset, () => iterate(iterable))
    if (node.filter) {
      const test = node.filter
      items = items.filter((item) => {
        const inner = new Frame(frame)
        this.assign(node.target, item, inner)
        return this.truth(test, inner)
      })
    }
    if (items.length === 0) {
      this.statements(node.otherwise, frame, out)
      return
    }
    const changes = {}
    items.forEach((item, index) => {
      const inner = new Frame(frame)
      inner.vars.set('loop', loopContext(items, index, changes))
      this.assign(node.target, item, inner)
      this.statements(node.body, inner, out)
    })
  }

  private assign(target: Target, value: unknown, frame: Frame): void {
    if (target.type === 'name') {
      frame.vars.set(target.name, value)
      return
    }
    const items = this.attempt(target.offset, () => iterate(value))
    if (items.length !== target.items.length) {
      const problem =
        items.length < target.items.length
          ? `not enough values to unpack (expected ${target.items.length}, got ${items.length})`
          : `too many values to unpack (expected ${target.items.length})`
      throw this.error(target.offset, problem, 'error')
    }
    target.items.forEach((inner, index) => this.assign(inner, items[index], frame))
  }

  private attempt<T>(offset: number, work: () => T): T {
    try {
      return work()
    } catch (error) {
      throw this.locate(error, offset)
    }
  }

  private truth(node: Expr, frame: Frame): boolean {
    const value = this.expr(node, frame)
    return this.attempt(node.offset, () => truthy(value))
  }

  private resolve(name: string, offset: number, frame: Frame): unknown {
    const local = frame.find(name)
    if (local !== undefined) return local
    const value = this.scope.lookup(name)
    if (!(value instanceof Undefined)) return value
    if (value.hint === undefined && value.cause === undefined) {
      const global = GLOBALS.get(name)
      if (global) return global
    }
    return value.at(this.template.position(offset))
  }

  private expr(node: Expr, frame: Frame): unknown {
    try {
      return this.evaluate(node, frame)
    } catch (error) {
      throw this.locate(error, node.offset)
    }
  }

  private evaluate(node: Expr, frame: Frame): unknown {
    switch (node.type) {
      case 'const':
        return node.value
      case 'name':
        return this.resolve(node.name, node.offset, frame)
      case 'list':
        return templateOwned(node.items.map((item) => this.expr(item, frame)))
      case 'tuple':
        return tuple(node.items.map((item) => this.expr(item, frame)))
      case 'dict': {
        const dict: Record<string, unknown> = {}
        for (const [key, value] of node.pairs) setItem(dict, dictKey(this.expr(key, frame)), this.expr(value, frame))
        return templateOwned(dict)
      }
      case 'getattr':
        return this.positioned(getAttribute(this.expr(node.node, frame), node.attribute), node.offset)
      case 'getitem': {
        const container = this.expr(node.node, frame)
        const argument = node.argument
        const key =
          argument.type === 'slice'
            ? new PySlice(
                argument.start && this.expr(argument.start, frame),
                argument.stop && this.expr(argument.stop, frame),
                argument.step && this.expr(argument.step, frame),
              )
            : this.expr(argument, frame)
        return this.positioned(getItem(container, key), node.offset)
      }
      case 'slice':
        throw new TemplateFault('a slice is only valid inside [ ]')
      case 'call': {
        const callee = this.expr(node.node, frame)
        const [args, kwargs] = this.arguments(node, frame)
        if (callee instanceof Undefined) failUndefined(callee)
        if (!(callee instanceof PyCallable)) throw new TemplateFault(`'${typeName(callee)}' object is not callable`)
        return callee.invoke(args, kwargs)
      }
      case 'filter':
        return this.filter(node, frame, undefined)
      case 'test': {
        const value = this.expr(node.node, frame)
        const [args, kwargs] = this.arguments(node, frame)
        return this.callTest(node.name, value, args, kwargs)
      }
      case 'condexpr':
        if (this.truth(node.test, frame)) return this.expr(node.then, frame)
        if (node.otherwise) return this.expr(node.otherwise, frame)
        return new Undefined('', {
          hint: `the inline if-expression on line ${this.template.position(node.offset).line} evaluated to false and no else section was defined.`,
          lenient: true,
          position: this.template.position(node.offset),
        })
      case 'and': {
        const left = this.expr(node.left, frame)
        return truthy(left) ? this.expr(node.right, frame) : left
      }
      case 'or': {
        const left = this.expr(node.left, frame)
        return truthy(left) ? left : this.expr(node.right, frame)
      }
      case 'not':
        return !this.truth(node.node, frame)
      case 'compare': {
        let left = this.expr(node.first, frame)
        for (const [operator, operand] of node.ops) {
          const right = this.expr(operand, frame)
          const holds =
            operator === 'in'
              ? pyContains(right, left)
              : operator === 'notin'
                ? !pyContains(right, left)
                : compare(operator, left, right)
          if (!holds) return false
          left = right
        }
        return true
      }
      case 'binary':
        return arithmetic(node.operator, this.expr(node.left, frame), this.expr(node.right, frame))
      case 'unary':
        return unary(node.operator, this.expr(node.node, frame))
      case 'concat':
        return node.nodes.map((item) => pyStr(this.expr(item, frame))).join('')
    }
  }

  private positioned(value: unknown, offset: number): unknown {
    return value instanceof Undefined ? value.at(this.template.position(offset)) : value
  }

  private arguments(
    node: Extract<Expr, {type: 'call' | 'filter' | 'test'}>,
    frame: Frame,
  ): [unknown[], Record<string, unknown>] {
    const args = node.args.map((arg) => this.expr(arg, frame))
    const kwargs: Record<string, unknown> = {}
    for (const [name, value] of node.kwargs) setItem(kwargs, name, this.expr(value, frame))
    if (node.dynArgs) args.push(...iterate(this.expr(node.dynArgs, frame)))
    if (node.dynKwargs) {
      const extra = this.expr(node.dynKwargs, frame)
      if (!(extra instanceof LazyMapping) && !isDict(extra)) {
        throw new TemplateFault(`argument after ** must be a mapping, not ${typeName(extra)}`)
      }
      for (const [name, value] of mappingEntries(extra)) setItem(kwargs, name, value)
    }
    return [args, kwargs]
  }

  private filter(node: FilterExpr, frame: Frame, blockContent: unknown): unknown {
    const value = node.node ? this.expr(node.node, frame) : blockContent
    const [args, kwargs] = this.arguments(node, frame)
    return this.attempt(node.offset, () => this.callFilter(node.name, value, args, kwargs))
  }

  callFilter(name: string, value: unknown, args: unknown[], kwargs: Record<string, unknown>): unknown {
    const filter = this.environment.filters.get(name)
    if (!filter) throw new TemplateFault(`unknown filter '${name}'`)
    if (value instanceof Undefined && !UNDEFINED_AWARE.has(filter)) failUndefined(value)
    return filter(value, args, kwargs, this.named(name))
  }

  callTest(name: string, value: unknown, args: unknown[], kwargs: Record<string, unknown>): boolean {
    const test = this.environment.tests.get(name)
    if (!test) throw new TemplateFault(`unknown test '${name}'`)
    return test(value, args, kwargs, this.named(name))
  }

  /** The context a filter or test sees: this renderer, with the name it was called by. */
  private named(name: string): CallContext {
    return {
      callFilter: (filter, value, args, kwargs) => this.callFilter(filter, value, args, kwargs),
      callTest: (test, value, args, kwargs) => this.callTest(test, value, args, kwargs),
      hasFilter: (filter) => this.environment.filters.has(filter),
      hasTest: (test) => this.environment.tests.has(test),
      name,
    }
  }
}

/**
 * Evaluate a compiled template: its outputs in order (text as strings, each `{{ … }}` value finalized). With
 * convertData, a `{% set %}` block's content is read back as a list, dict or bool as variable values are. Throws
 * TemplateError.
 */
export function renderOutputs(
  template: CompiledTemplate,
  scope: TemplateScope,
  environment: Environment,
  convertData: boolean,
): unknown[] {
  const renderer = new Renderer(template, scope, environment, convertData)
  renderer.checkNames()
  return renderer.render()
}
