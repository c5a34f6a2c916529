import {PYTHON_ESCAPES} from './python-escapes.js'
import {SyntaxFault} from './syntax-fault.js'

export type OperatorType =
  | 'add'
  | 'assign'
  | 'colon'
  | 'comma'
  | 'div'
  | 'dot'
  | 'eq'
  | 'floordiv'
  | 'gt'
  | 'gteq'
  | 'lbrace'
  | 'lbracket'
  | 'lparen'
  | 'lt'
  | 'lteq'
  | 'mod'
  | 'mul'
  | 'ne'
  | 'pipe'
  | 'pow'
  | 'rbrace'
  | 'rbracket'
  | 'rparen'
  | 'semicolon'
  | 'sub'
  | 'tilde'

export type Token =
  | {type: 'data'; value: string; offset: number}
  | {type: 'variable_begin' | 'variable_end' | 'block_begin' | 'block_end' | 'eof'; offset: number}
  | {type: 'name'; value: string; offset: number}
  | {type: 'string'; value: string; offset: number; end: number}
  | {type: 'integer' | 'float'; value: number; offset: number}
  | {type: OperatorType; offset: number}

export interface LexOptions {
  /** Remove the first newline after a block or comment tag (Jinja2's trim_blocks). */
  trimBlocks: boolean
  /** Decode string literals' escapes (off to find their text only, as Ansible's _escape_backslashes does). */
  decodeStrings: boolean
}

const OPERATORS: [string, OperatorType][] = [
  ['//', 'floordiv'],
  ['**', 'pow'],
  ['==', 'eq'],
  ['!=', 'ne'],
  ['>=', 'gteq'],
  ['<=', 'lteq'],
  ['+', 'add'],
  ['-', 'sub'],
  ['/', 'div'],
  ['*', 'mul'],
  ['%', 'mod'],
  ['~', 'tilde'],
  ['[', 'lbracket'],
  [']', 'rbracket'],
  ['(', 'lparen'],
  [')', 'rparen'],
  ['{', 'lbrace'],
  ['}', 'rbrace'],
  ['>', 'gt'],
  ['<', 'lt'],
  ['=', 'assign'],
  ['.', 'dot'],
  [':', 'colon'],
  ['|', 'pipe'],
  [',', 'comma'],
  [';', 'semicolon'],
]

const CLOSING: Partial<Record<OperatorType, string>> = {rbrace: '}', rbracket: ']', rparen: ')'}
const OPENING: Partial<Record<OperatorType, string>> = {lbrace: '}', lbracket: ']', lparen: ')'}

const WHITESPACE = /\s+/y
const FLOAT = /(?<!\.)(?:\d+_)*\d+(?:(?:\.(?:\d+_)*\d+)?e[+-]?(?:\d+_)*\d+|\.(?:\d+_)*\d+)/iy
const INTEGER = /0b(?:_?[01])+|0o(?:_?[0-7])+|0x(?:_?[\da-f])+|[1-9](?:_?\d)*|0(?:_?0)*/iy
const NAME = /[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*/uy
const STRING = /'([^'\\]*(?:\\.[^'\\]*)*)'|"([^"\\]*(?:\\.[^"\\]*)*)"/sy
const TAG_START = /\{[{%#]/g
const RAW_BEGIN = /\{%[-+]?\s*raw\s*(?:-%\}\s*|%\})/y

/** A string literal's content decoded as Python's unicode-escape codec does (what Jinja2 applies to literals). */
function unescapeString(content: string): string {
  return content.replace(/\\(x[\s\S]{0,2}|u[\s\S]{0,4}|U[\s\S]{0,8}|[0-7]{1,3}|[\s\S])?/g, (whole, escape?: string) => {
    if (escape === undefined) throw new SyntaxFault('\\ at end of string')
    const simple = PYTHON_ESCAPES[escape]
    if (simple !== undefined) return simple
    if (/^[0-7]/.test(escape)) return String.fromCodePoint(Number.parseInt(escape, 8))
    const kind = escape[0]
    if (kind === 'x' || kind === 'u' || kind === 'U') {
      const digits = escape.slice(1)
      const wanted = kind === 'x' ? 2 : kind === 'u' ? 4 : 8
      if (digits.length !== wanted || !/^[\da-f]+$/i.test(digits)) {
        throw new SyntaxFault(`truncated \\${kind}${'X'.repeat(wanted)} escape`)
      }
      const code = Number.parseInt(digits, 16)
      if (code > 0x10ffff) throw new SyntaxFault('illegal Unicode character')
      return String.fromCodePoint(code)
    }
    return whole
  })
}

/** Jinja2's lexer input: newlines normalised to \n and one trailing newline dropped (keep_trailing_newline=False). */
export function normalizeSource(source: string): string {
  const normalized = source.replace(/\r\n?/g, '\n')
  return normalized.endsWith('\n') ? normalized.slice(0, -1) : normalized
}

class Lexer {
  readonly tokens: Token[] = []
  private readonly source: string
  private readonly options: LexOptions
  private pos = 0

  constructor(source: string, options: LexOptions) {
    this.source = source
    this.options = options
  }

  run(): Token[] {
    const source = this.source
    while (this.pos < source.length) {
      TAG_START.lastIndex = this.pos
      const found = TAG_START.exec(source)
      if (!found) {
        this.data(source.slice(this.pos), this.pos)
        break
      }
      const start = found.index
      const sign = source[start + 2]
      const text = source.slice(this.pos, start)
      this.data(sign === '-' ? text.trimEnd() : text, this.pos)
      RAW_BEGIN.lastIndex = start
      const raw = RAW_BEGIN.exec(source)
      if (raw) {
        this.pos = start + raw[0].length
        this.raw(start)
        continue
      }
      this.pos = start + 2 + (sign === '-' || sign === '+' ? 1 : 0)
      if (found[0] === '{#') this.comment(start)
      else if (found[0] === '{{') this.expression('variable', start)
      else this.expression('block', start)
    }
    this.tokens.push({offset: source.length, type: 'eof'})
    return this.tokens
  }

  private data(text: string, offset: number): void {
    if (text) this.tokens.push({offset, type: 'data', value: text})
  }

  /** After a block or comment end: `-%}` eats following whitespace, `+%}` nothing, `%}` one newline if trimming. */
  private afterTagEnd(end: number, marker: string): void {
    this.pos = end
    if (marker === '-') this.pos = end + (/^\s*/.exec(this.source.slice(end))?.[0].length ?? 0)
    else if (marker !== '+' && this.options.trimBlocks && this.source[end] === '\n') this.pos = end + 1
  }

  private comment(start: number): void {
    const close = this.source.indexOf('#}', this.pos)
    if (close === -1) throw new SyntaxFault('Missing end of comment tag', start)
    const marker = close > this.pos ? (this.source[close - 1] ?? '') : ''
    this.afterTagEnd(close + 2, marker)
  }

  private raw(start: number): void {
    const end = /\{%([-+]?)\s*endraw\s*([-+]?)%\}/g
    end.lastIndex = this.pos
    const found = end.exec(this.source)
    if (!found) throw new SyntaxFault('Missing end of raw directive', start)
    const text = this.source.slice(this.pos, found.index)
    this.data(found[1] === '-' ? text.trimEnd() : text, this.pos)
    this.afterTagEnd(found.index + found[0].length, found[2] ?? '')
  }

  private expression(kind: 'variable' | 'block', start: number): void {
    const source = this.source
    const balancing: string[] = []
    const closer = kind === 'variable' ? '}}' : '%}'
    this.tokens.push({offset: start, type: kind === 'variable' ? 'variable_begin' : 'block_begin'})
    for (;;) {
      const pos = this.pos
      if (pos >= source.length) {
        throw new SyntaxFault(
          `unexpected end of template, expected '${kind === 'variable' ? 'end of print statement' : 'end of statement block'}'`,
          pos,
        )
      }
      if (balancing.length === 0) {
        const marker = source[pos] === '-' || source[pos] === '+' ? (source[pos] ?? '') : ''
        if (source.startsWith(closer, pos + marker.length) && (kind === 'block' || marker !== '+')) {
          this.tokens.push({offset: pos, type: kind === 'variable' ? 'variable_end' : 'block_end'})
          const end = pos + marker.length + 2
          if (kind === 'block') this.afterTagEnd(end, marker)
          else this.pos = marker === '-' ? end + (/^\s*/.exec(source.slice(end))?.[0].length ?? 0) : end
          return
        }
      }
      if (this.match(WHITESPACE)) continue
      const float = this.match(FLOAT)
      if (float !== undefined) {
        this.tokens.push({offset: pos, type: 'float', value: Number(float.replaceAll('_', ''))})
        continue
      }
      const integer = this.match(INTEGER)
      if (integer !== undefined) {
        this.tokens.push({offset: pos, type: 'integer', value: parseInteger(integer)})
        continue
      }
      const name = this.match(NAME)
      if (name !== undefined) {
        this.tokens.push({offset: pos, type: 'name', value: name})
        continue
      }
      STRING.lastIndex = pos
      const string = STRING.exec(source)
      if (string) {
        this.pos = pos + string[0].length
        const content = (string[1] ?? string[2] ?? '').replace(/\r\n?/g, '\n')
        try {
          const value = this.options.decodeStrings ? unescapeString(content) : content
          this.tokens.push({end: this.pos, offset: pos, type: 'string', value})
        } catch (error) {
          if (error instanceof SyntaxFault) throw new SyntaxFault(error.message, pos)
          throw error
        }
        continue
      }
      const operator = OPERATORS.find(([text]) => source.startsWith(text, pos))
      if (!operator) throw new SyntaxFault(`unexpected char ${JSON.stringify(source[pos])}`, pos)
      const [text, type] = operator
      const opens = OPENING[type]
      if (opens) balancing.push(opens)
      const closes = CLOSING[type]
      if (closes) {
        const expected = balancing.pop()
        if (expected === undefined) throw new SyntaxFault(`unexpected '${closes}'`, pos)
        if (expected !== closes) throw new SyntaxFault(`unexpected '${closes}', expected '${expected}'`, pos)
      }
      this.tokens.push({offset: pos, type})
      this.pos = pos + text.length
    }
  }

  private match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.pos
    const found = pattern.exec(this.source)
    if (!found) return undefined
    this.pos += found[0].length
    return found[0]
  }
}

function parseInteger(text: string): number {
  const digits = text.replaceAll('_', '').toLowerCase()
  if (digits.startsWith('0b')) return Number.parseInt(digits.slice(2), 2)
  if (digits.startsWith('0o')) return Number.parseInt(digits.slice(2), 8)
  if (digits.startsWith('0x')) return Number.parseInt(digits.slice(2), 16)
  return Number(digits)
}

/** Tokens of a template already passed through normalizeSource(); offsets index that text. */
export function tokenize(source: string, options: LexOptions): Token[] {
  return new Lexer(source, options).run()
}
