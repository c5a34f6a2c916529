import type {BinaryOperator} from './arithmetic.js'
import type {CallArguments, Expr, FilterExpr, Stmt, Target} from './ast.js'
import type {ComparisonOperator} from './compare.js'
import type {Token} from './lexer.js'
import {SyntaxFault} from './syntax-fault.js'
import {float} from './values.js'

const DESCRIPTIONS: Record<string, string> = {
  add: '+',
  assign: '=',
  block_begin: 'begin of statement block',
  block_end: 'end of statement block',
  colon: ':',
  comma: ',',
  data: 'template data / text',
  div: '/',
  dot: '.',
  eof: 'end of template',
  eq: '==',
  float: 'float',
  floordiv: '//',
  gt: '>',
  gteq: '>=',
  integer: 'integer',
  lbrace: '{',
  lbracket: '[',
  lparen: '(',
  lt: '<',
  lteq: '<=',
  mod: '%',
  mul: '*',
  ne: '!=',
  pipe: '|',
  pow: '**',
  rbrace: '}',
  rbracket: ']',
  rparen: ')',
  semicolon: ';',
  string: 'string',
  sub: '-',
  tilde: '~',
  variable_begin: 'begin of print statement',
  variable_end: 'end of print statement',
}

function describe(token: Token): string {
  return token.type === 'name' ? token.value : (DESCRIPTIONS[token.type] ?? token.type)
}

const COMPARISONS = new Set<string>(['eq', 'ne', 'lt', 'lteq', 'gt', 'gteq'])
const UNSUPPORTED_TAGS = new Set([
  'autoescape',
  'block',
  'call',
  'extends',
  'filter',
  'from',
  'import',
  'include',
  'macro',
  'with',
])
const TEST_ARGUMENT_STARTS = new Set(['name', 'string', 'integer', 'float', 'lparen', 'lbracket', 'lbrace'])

/** Jinja2's parser (jinja2/parser.py), for the statements goldentooth supports. */
class Parser {
  private readonly tokens: Token[]
  private index = 0
  /** Tags that close the blocks being parsed, innermost last, for error messages. */
  private readonly openBlocks: {tag: string; ends: string[]}[] = []

  constructor(tokens: Token[]) {
    this.tokens = tokens
  }

  private peek(): Token {
    return this.tokens[this.index] ?? this.tokens.at(-1)!
  }

  private look(): Token {
    return this.tokens[this.index + 1] ?? this.tokens.at(-1)!
  }

  private next(): Token {
    const token = this.peek()
    if (this.index < this.tokens.length - 1) this.index++
    return token
  }

  private fail(message: string, token: Token = this.peek()): never {
    throw new SyntaxFault(message, token.offset)
  }

  private isName(value: string, token: Token = this.peek()): boolean {
    return token.type === 'name' && token.value === value
  }

  private skipName(value: string): boolean {
    if (!this.isName(value)) return false
    this.next()
    return true
  }

  private expect(type: Token['type']): Token {
    const token = this.peek()
    if (token.type !== type) {
      if (token.type === 'eof') this.fail(`unexpected end of template, expected '${DESCRIPTIONS[type] ?? type}'.`)
      this.fail(`expected token '${DESCRIPTIONS[type] ?? type}', got '${describe(token)}'`)
    }
    this.next()
    return token
  }

  private nameToken(token: Token): string {
    if (token.type !== 'name') this.fail(`expected a name, got '${describe(token)}'`, token)
    return token.value
  }

  private expectName(value: string): void {
    if (!this.isName(value)) this.fail(`expected token '${value}', got '${describe(this.peek())}'`)
    this.next()
  }

  parseTemplate(): Stmt[] {
    const body = this.subparse([])
    if (this.peek().type !== 'eof') this.fail(`unexpected '${describe(this.peek())}'`)
    return body
  }

  /** Statements up to one of the end tags (left for the caller to consume) or the end of the template. */
  private subparse(ends: string[]): Stmt[] {
    const body: Stmt[] = []
    for (;;) {
      const token = this.peek()
      if (token.type === 'eof') return body
      if (token.type === 'data') {
        this.next()
        body.push({offset: token.offset, type: 'text', value: token.value})
      } else if (token.type === 'variable_begin') {
        this.next()
        const expr = this.parseTuple({})
        this.expect('variable_end')
        body.push({expr, offset: token.offset, type: 'output'})
      } else if (token.type === 'block_begin') {
        this.next()
        const tag = this.peek()
        if (tag.type === 'name' && ends.includes(tag.value)) return body
        body.push(this.parseStatement())
        this.expect('block_end')
      } else this.fail(`unexpected '${describe(token)}'`)
    }
  }

  /** The body of a block tag: after its `%}`, up to one of its end tags (consumed when dropNeedle). */
  private parseStatements(tag: string, ends: string[], dropNeedle = false): Stmt[] {
    if (this.peek().type === 'colon') this.next()
    this.expect('block_end')
    this.openBlocks.push({ends, tag})
    const body = this.subparse(ends)
    if (this.peek().type === 'eof') this.unclosed('Unexpected end of template.')
    this.openBlocks.pop()
    if (dropNeedle) this.next()
    return body
  }

  private unclosed(message: string): never {
    const innermost = this.openBlocks.at(-1)
    if (!innermost) this.fail(message)
    const ends = innermost.ends.map((end) => `'${end}'`).join(' or ')
    this.fail(
      `${message} Jinja was looking for the following tags: ${ends}. The innermost block that needs to be closed is '${innermost.tag}'.`,
    )
  }

  private parseStatement(): Stmt {
    const token = this.peek()
    if (token.type !== 'name') this.fail('tag name expected')
    const tag = token.value
    if (tag === 'if') return this.parseIf()
    if (tag === 'for') return this.parseFor()
    if (tag === 'set') return this.parseSet()
    if (tag === 'print') {
      this.next()
      return {expr: this.parseTuple({}), offset: token.offset, type: 'output'}
    }
    if (UNSUPPORTED_TAGS.has(tag)) this.fail(`the '${tag}' tag is not supported by goldentooth's templates`)
    this.unclosed(`Encountered unknown tag '${tag}'.`)
  }

  private parseIf(): Stmt {
    const start = this.next()
    const test = this.parseTuple({withCondexpr: false})
    const body = this.parseStatements('if', ['elif', 'else', 'endif'])
    const tag = this.next()
    let otherwise: Stmt[] = []
    if (this.isName('elif', tag)) otherwise = [this.parseIfRest(tag)]
    else if (this.isName('else', tag)) otherwise = this.parseStatements('if', ['endif'], true)
    return {body, offset: start.offset, otherwise, test, type: 'if'}
  }

  /** An `elif`: the rest of the `if`, as an `if` nested in the `else`. */
  private parseIfRest(start: Token): Stmt {
    const test = this.parseTuple({withCondexpr: false})
    const body = this.parseStatements('if', ['elif', 'else', 'endif'])
    const tag = this.next()
    let otherwise: Stmt[] = []
    if (this.isName('elif', tag)) otherwise = [this.parseIfRest(tag)]
    else if (this.isName('else', tag)) otherwise = this.parseStatements('if', ['endif'], true)
    return {body, offset: start.offset, otherwise, test, type: 'if'}
  }

  private parseFor(): Stmt {
    const start = this.next()
    const target = this.parseAssignTarget(['in'])
    this.expectName('in')
    const iter = this.parseTuple({ends: ['recursive'], withCondexpr: false})
    const filter = this.skipName('if') ? this.parseExpression() : undefined
    if (this.isName('recursive')) this.fail("recursive loops are not supported by goldentooth's templates")
    const body = this.parseStatements('for', ['endfor', 'else'])
    const otherwise = this.isName('else', this.next()) ? this.parseStatements('for', ['endfor'], true) : []
    return {body, filter, iter, offset: start.offset, otherwise, target, type: 'for'}
  }

  private parseSet(): Stmt {
    const start = this.next()
    if (this.peek().type === 'name' && this.look().type === 'dot') {
      const namespace = this.nameToken(this.next())
      this.next()
      const attribute = this.nameToken(this.next())
      if (this.peek().type !== 'assign') this.fail('expected = after a namespace attribute')
      this.next()
      return {attribute, expr: this.parseTuple({}), namespace, offset: start.offset, type: 'setattr'}
    }
    const target = this.parseAssignTarget([])
    if (this.peek().type === 'assign') {
      this.next()
      return {expr: this.parseTuple({}), offset: start.offset, target, type: 'set'}
    }
    const filter = this.peek().type === 'pipe' ? this.parseFilters(undefined) : undefined
    const body = this.parseStatements('set', ['endset'], true)
    return {body, filter: filter as FilterExpr | undefined, offset: start.offset, target, type: 'setblock'}
  }

  private parseAssignTarget(ends: string[]): Target {
    const expr = this.parseTuple({ends, simplified: true})
    const toTarget = (node: Expr): Target => {
      if (node.type === 'name') {
        if (['true', 'false', 'none', 'True', 'False', 'None'].includes(node.name)) {
          throw new SyntaxFault(`can't assign to '${node.name}'`, node.offset)
        }
        return node
      }
      if (node.type === 'tuple') return {items: node.items.map(toTarget), offset: node.offset, type: 'tuple'}
      throw new SyntaxFault(`can't assign to '${node.type}'`, node.offset)
    }
    return toTarget(expr)
  }

  private parseExpression(withCondexpr = true): Expr {
    return withCondexpr ? this.parseCondexpr() : this.parseOr()
  }

  private parseCondexpr(): Expr {
    let expr = this.parseOr()
    while (this.isName('if')) {
      const token = this.next()
      const test = this.parseOr()
      const otherwise = this.skipName('else') ? this.parseCondexpr() : undefined
      expr = {offset: token.offset, otherwise, test, then: expr, type: 'condexpr'}
    }
    return expr
  }

  private parseOr(): Expr {
    let left = this.parseAnd()
    while (this.isName('or')) {
      const token = this.next()
      left = {left, offset: token.offset, right: this.parseAnd(), type: 'or'}
    }
    return left
  }

  private parseAnd(): Expr {
    let left = this.parseNot()
    while (this.isName('and')) {
      const token = this.next()
      left = {left, offset: token.offset, right: this.parseNot(), type: 'and'}
    }
    return left
  }

  private parseNot(): Expr {
    if (this.isName('not')) {
      const token = this.next()
      return {node: this.parseNot(), offset: token.offset, type: 'not'}
    }
    return this.parseCompare()
  }

  private parseCompare(): Expr {
    const first = this.parseMath1()
    const ops: [ComparisonOperator | 'in' | 'notin', Expr][] = []
    let offset = first.offset
    for (;;) {
      const token = this.peek()
      if (COMPARISONS.has(token.type)) {
        this.next()
        ops.push([token.type as ComparisonOperator, this.parseMath1()])
      } else if (this.isName('in')) {
        this.next()
        ops.push(['in', this.parseMath1()])
      } else if (this.isName('not') && this.isName('in', this.look())) {
        this.next()
        this.next()
        ops.push(['notin', this.parseMath1()])
      } else break
      if (ops.length === 1) offset = token.offset
    }
    return ops.length ? {first, offset, ops, type: 'compare'} : first
  }

  private binary(operators: Partial<Record<string, BinaryOperator>>, operand: () => Expr): Expr {
    let left = operand()
    for (;;) {
      const operator = operators[this.peek().type]
      if (!operator) return left
      const token = this.next()
      left = {left, offset: token.offset, operator, right: operand(), type: 'binary'}
    }
  }

  private parseMath1(): Expr {
    return this.binary({add: 'add', sub: 'sub'}, () => this.parseConcat())
  }

  private parseConcat(): Expr {
    const first = this.parseMath2()
    if (this.peek().type !== 'tilde') return first
    const offset = this.peek().offset
    const nodes = [first]
    while (this.peek().type === 'tilde') {
      this.next()
      nodes.push(this.parseMath2())
    }
    return {nodes, offset, type: 'concat'}
  }

  private parseMath2(): Expr {
    return this.binary({div: 'div', floordiv: 'floordiv', mod: 'mod', mul: 'mul'}, () => this.parsePow())
  }

  private parsePow(): Expr {
    return this.binary({pow: 'pow'}, () => this.parseUnary())
  }

  private parseUnary(withFilter = true): Expr {
    const token = this.peek()
    let node: Expr
    if (token.type === 'sub' || token.type === 'add') {
      this.next()
      node = {
        node: this.parseUnary(false),
        offset: token.offset,
        operator: token.type === 'sub' ? 'neg' : 'pos',
        type: 'unary',
      }
    } else node = this.parsePrimary()
    node = this.parsePostfix(node)
    return withFilter ? this.parseFilterExpr(node) : node
  }

  private parsePrimary(): Expr {
    const token = this.peek()
    if (token.type === 'name') {
      this.next()
      if (['true', 'True'].includes(token.value)) return {offset: token.offset, type: 'const', value: true}
      if (['false', 'False'].includes(token.value)) return {offset: token.offset, type: 'const', value: false}
      if (['none', 'None'].includes(token.value)) return {offset: token.offset, type: 'const', value: null}
      return {name: token.value, offset: token.offset, type: 'name'}
    }
    if (token.type === 'string') {
      this.next()
      let value = token.value
      for (let next = this.peek(); next.type === 'string'; next = this.peek()) {
        value += next.value
        this.next()
      }
      return {offset: token.offset, type: 'const', value}
    }
    if (token.type === 'integer') {
      this.next()
      return {offset: token.offset, type: 'const', value: token.value}
    }
    if (token.type === 'float') {
      this.next()
      return {offset: token.offset, type: 'const', value: float(token.value)}
    }
    if (token.type === 'lparen') {
      this.next()
      const node = this.parseTuple({explicitParentheses: true})
      this.expect('rparen')
      return node
    }
    if (token.type === 'lbracket') return this.parseList()
    if (token.type === 'lbrace') return this.parseDict()
    if (token.type === 'eof') this.fail('unexpected end of template')
    this.fail(`unexpected '${describe(token)}'`)
  }

  private isTupleEnd(ends: string[]): boolean {
    const token = this.peek()
    if (['variable_end', 'block_end', 'rparen'].includes(token.type)) return true
    return token.type === 'name' && ends.includes(token.value)
  }

  private parseTuple(options: {
    simplified?: boolean
    withCondexpr?: boolean
    ends?: string[]
    explicitParentheses?: boolean
  }): Expr {
    const offset = this.peek().offset
    const parse = options.simplified
      ? () => this.parsePrimary()
      : () => this.parseExpression(options.withCondexpr ?? true)
    const items: Expr[] = []
    let isTuple = false
    for (;;) {
      if (items.length) this.expect('comma')
      if (this.isTupleEnd(options.ends ?? [])) break
      items.push(parse())
      if (this.peek().type === 'comma') isTuple = true
      else break
    }
    if (!isTuple) {
      if (items[0]) return items[0]
      if (!options.explicitParentheses) this.fail(`Expected an expression, got '${describe(this.peek())}'`)
    }
    return {items, offset, type: 'tuple'}
  }

  private parseList(): Expr {
    const token = this.expect('lbracket')
    const items: Expr[] = []
    while (this.peek().type !== 'rbracket') {
      if (items.length) this.expect('comma')
      if (this.peek().type === 'rbracket') break
      items.push(this.parseExpression())
    }
    this.expect('rbracket')
    return {items, offset: token.offset, type: 'list'}
  }

  private parseDict(): Expr {
    const token = this.expect('lbrace')
    const pairs: [Expr, Expr][] = []
    while (this.peek().type !== 'rbrace') {
      if (pairs.length) this.expect('comma')
      if (this.peek().type === 'rbrace') break
      const key = this.parseExpression()
      this.expect('colon')
      pairs.push([key, this.parseExpression()])
    }
    this.expect('rbrace')
    return {offset: token.offset, pairs, type: 'dict'}
  }

  private parsePostfix(node: Expr): Expr {
    for (;;) {
      const type = this.peek().type
      if (type === 'dot' || type === 'lbracket') node = this.parseSubscript(node)
      else if (type === 'lparen') node = this.parseCall(node)
      else return node
    }
  }

  private parseFilterExpr(node: Expr): Expr {
    for (;;) {
      const type = this.peek().type
      if (type === 'pipe') node = this.parseFilters(node)
      else if (this.isName('is')) node = this.parseTest(node)
      else if (type === 'lparen') node = this.parseCall(node)
      else return node
    }
  }

  private parseSubscript(node: Expr): Expr {
    const token = this.next()
    if (token.type === 'dot') {
      const attribute = this.next()
      if (attribute.type === 'name') {
        return {attribute: attribute.value, node, offset: token.offset, type: 'getattr'}
      }
      if (attribute.type !== 'integer') this.fail('expected name or number', attribute)
      return {
        argument: {offset: attribute.offset, type: 'const', value: attribute.value},
        node,
        offset: token.offset,
        type: 'getitem',
      }
    }
    const args: Expr[] = []
    while (this.peek().type !== 'rbracket') {
      if (args.length) this.expect('comma')
      args.push(this.parseSubscribed())
    }
    this.expect('rbracket')
    const argument: Expr = args.length === 1 && args[0] ? args[0] : {items: args, offset: token.offset, type: 'tuple'}
    return {argument, node, offset: token.offset, type: 'getitem'}
  }

  private parseSubscribed(): Expr {
    const offset = this.peek().offset
    let start: Expr | undefined
    if (this.peek().type === 'colon') this.next()
    else {
      const node = this.parseExpression()
      if (this.peek().type !== 'colon') return node
      this.next()
      start = node
    }
    let stop: Expr | undefined
    if (this.peek().type !== 'colon' && this.peek().type !== 'rbracket' && this.peek().type !== 'comma') {
      stop = this.parseExpression()
    }
    let step: Expr | undefined
    if (this.peek().type === 'colon') {
      this.next()
      if (this.peek().type !== 'rbracket' && this.peek().type !== 'comma') step = this.parseExpression()
    }
    return {offset, start, step, stop, type: 'slice'}
  }

  private parseCallArgs(): CallArguments {
    const open = this.expect('lparen')
    const result: CallArguments = {args: [], dynArgs: undefined, dynKwargs: undefined, kwargs: []}
    const ensure = (ok: boolean): void => {
      if (!ok) this.fail('invalid syntax for function call expression', open)
    }
    let requireComma = false
    while (this.peek().type !== 'rparen') {
      if (requireComma) {
        this.expect('comma')
        if (this.peek().type === 'rparen') break
      }
      if (this.peek().type === 'mul') {
        ensure(result.dynArgs === undefined && result.dynKwargs === undefined)
        this.next()
        result.dynArgs = this.parseExpression()
      } else if (this.peek().type === 'pow') {
        ensure(result.dynKwargs === undefined)
        this.next()
        result.dynKwargs = this.parseExpression()
      } else {
        const name = this.peek()
        if (name.type === 'name' && this.look().type === 'assign') {
          ensure(result.dynKwargs === undefined)
          this.next()
          this.next()
          result.kwargs.push([name.value, this.parseExpression()])
        } else {
          ensure(result.dynArgs === undefined && result.dynKwargs === undefined && result.kwargs.length === 0)
          result.args.push(this.parseExpression())
        }
      }
      requireComma = true
    }
    this.expect('rparen')
    return result
  }

  private parseCall(node: Expr): Expr {
    const offset = this.peek().offset
    return {node, offset, type: 'call', ...this.parseCallArgs()}
  }

  private identifier(): string {
    const token = this.expect('name')
    return token.type === 'name' ? token.value : ''
  }

  private dottedName(): string {
    let name = this.identifier()
    while (this.peek().type === 'dot') {
      this.next()
      name += `.${this.identifier()}`
    }
    return name
  }

  private noArguments(): CallArguments {
    return {args: [], dynArgs: undefined, dynKwargs: undefined, kwargs: []}
  }

  /** `node | f | g(…)`; with no node, the filters of a `{% set x | f %}` block. */
  private parseFilters(node: Expr | undefined): Expr {
    let result = node
    while (this.peek().type === 'pipe') {
      this.next()
      const offset = this.peek().offset
      const name = this.dottedName()
      const args = this.peek().type === 'lparen' ? this.parseCallArgs() : this.noArguments()
      result = {name, node: result, offset, type: 'filter', ...args}
    }
    if (!result) this.fail('expected a filter')
    return result
  }

  private parseTest(node: Expr): Expr {
    const token = this.next()
    const negated = this.skipName('not')
    const name = this.dottedName()
    let args = this.noArguments()
    const current = this.peek()
    if (current.type === 'lparen') args = this.parseCallArgs()
    else if (
      TEST_ARGUMENT_STARTS.has(current.type) &&
      !this.isName('else') &&
      !this.isName('or') &&
      !this.isName('and')
    ) {
      if (this.isName('is')) this.fail('You cannot chain multiple tests with is')
      args = {...args, args: [this.parsePostfix(this.parsePrimary())]}
    }
    const test: Expr = {name, node, offset: token.offset, type: 'test', ...args}
    return negated ? {node: test, offset: token.offset, type: 'not'} : test
  }
}

export function parse(tokens: Token[]): Stmt[] {
  return new Parser(tokens).parseTemplate()
}
