import type {Expr, Stmt} from './ast.js'
import {TemplateError} from './errors.js'
import {normalizeSource, tokenize} from './lexer.js'
import {parse} from './parser.js'
import {SyntaxFault} from './syntax-fault.js'
import type {Position} from './undefined.js'

export interface CompiledTemplate {
  /** The text as given (error messages quote it). */
  readonly text: string
  readonly body: readonly Stmt[]
  /** Filters and tests the template names, with the offset of their first use. */
  readonly filters: ReadonlyMap<string, number>
  readonly tests: ReadonlyMap<string, number>
  position(offset: number): Position
}

export interface CompileOptions {
  /**
   * Ansible's _escape_backslashes (for variable values): backslashes inside string literals in `{{ }}` are doubled
   * before Jinja2 reads the template, so `'\\.'` in a variable means a backslash and a dot, as written.
   */
  escapeBackslashes: boolean
}

/** The template with its `{{ }}` string literals' backslashes doubled, as Ansible rewrites it before Jinja2 sees it. */
function escapeBackslashes(source: string): string {
  let out = ''
  let last = 0
  let inVariable = false
  for (const token of tokenize(source, {decodeStrings: false, trimBlocks: true})) {
    if (token.type === 'variable_begin') inVariable = true
    else if (token.type === 'variable_end') inVariable = false
    else if (token.type === 'string' && inVariable) {
      out += source.slice(last, token.offset) + source.slice(token.offset, token.end).replaceAll('\\', '\\\\')
      last = token.end
    }
  }
  return out + source.slice(last)
}

function lineStarts(text: string): number[] {
  const starts = [0]
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1)
  return starts
}

function positionIn(starts: readonly number[], offset: number): Position {
  let low = 0
  let high = starts.length - 1
  while (low < high) {
    const middle = (low + high + 1) >> 1
    if ((starts[middle] ?? 0) <= offset) low = middle
    else high = middle - 1
  }
  return {col: offset - (starts[low] ?? 0) + 1, line: low + 1}
}

function collectNames(body: readonly Stmt[]): {filters: Map<string, number>; tests: Map<string, number>} {
  const filters = new Map<string, number>()
  const tests = new Map<string, number>()
  const note = (names: Map<string, number>, name: string, offset: number): void => {
    if (!names.has(name)) names.set(name, offset)
  }
  const exprs = (nodes: readonly (Expr | undefined)[]): void => {
    for (const node of nodes) if (node) expr(node)
  }
  const expr = (node: Expr): void => {
    switch (node.type) {
      case 'const':
      case 'name':
        return
      case 'list':
      case 'tuple':
        return exprs(node.items)
      case 'dict':
        return exprs(node.pairs.flat())
      case 'getattr':
      case 'not':
      case 'unary':
        return expr(node.node)
      case 'getitem':
        return exprs([node.node, node.argument])
      case 'slice':
        return exprs([node.start, node.stop, node.step])
      case 'call':
        return exprs([node.node, ...node.args, ...node.kwargs.map(([, value]) => value), node.dynArgs, node.dynKwargs])
      case 'filter':
      case 'test':
        note(node.type === 'filter' ? filters : tests, node.name, node.offset)
        return exprs([node.node, ...node.args, ...node.kwargs.map(([, value]) => value), node.dynArgs, node.dynKwargs])
      case 'condexpr':
        return exprs([node.test, node.then, node.otherwise])
      case 'and':
      case 'or':
      case 'binary':
        return exprs([node.left, node.right])
      case 'compare':
        return exprs([node.first, ...node.ops.map(([, operand]) => operand)])
      case 'concat':
        return exprs(node.nodes)
    }
  }
  const stmts = (nodes: readonly Stmt[]): void => {
    for (const node of nodes) {
      switch (node.type) {
        case 'text':
          break
        case 'output':
        case 'set':
          expr(node.expr)
          break
        case 'if':
          expr(node.test)
          stmts(node.body)
          stmts(node.otherwise)
          break
        case 'for':
          exprs([node.iter, node.filter])
          stmts(node.body)
          stmts(node.otherwise)
          break
        case 'setblock':
          if (node.filter) expr(node.filter)
          stmts(node.body)
          break
      }
    }
  }
  stmts(body)
  return {filters, tests}
}

function build(text: string, options: CompileOptions): CompiledTemplate {
  let source = normalizeSource(text)
  let starts = lineStarts(source)
  const position = (offset: number): Position => positionIn(starts, offset)
  try {
    if (options.escapeBackslashes && source.includes('\\') && source.includes('{{')) {
      source = escapeBackslashes(source)
      starts = lineStarts(source)
    }
    const body = parse(tokenize(source, {decodeStrings: true, trimBlocks: true}))
    return {body, position, text, ...collectNames(body)}
  } catch (error) {
    if (!(error instanceof SyntaxFault) && !(error instanceof RangeError)) throw error
    const problem = error instanceof SyntaxFault ? error.message : 'the template is nested too deeply'
    const at = position(error instanceof SyntaxFault ? (error.offset ?? source.length) : 0)
    throw new TemplateError({kind: 'syntax', problem: `syntax error: ${problem}`, template: text, ...at})
  }
}

const CACHE_LIMIT = 20_000
const cache = new Map<string, CompiledTemplate | TemplateError>()

/** The parsed template, cached by its text: templates are parsed once however often they are evaluated. */
export function compile(text: string, options: CompileOptions): CompiledTemplate {
  const key = (options.escapeBackslashes ? 'e' : 'n') + text
  let compiled = cache.get(key)
  if (compiled === undefined) {
    try {
      compiled = build(text, options)
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error
      compiled = error
    }
    if (cache.size >= CACHE_LIMIT) cache.clear()
    cache.set(key, compiled)
  }
  if (compiled instanceof TemplateError) throw compiled
  return compiled
}
