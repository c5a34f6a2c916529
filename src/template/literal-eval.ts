import {dictKey} from './compare.js'
import {PYTHON_ESCAPES} from './python-escapes.js'
import {PyFloat, float, setItem, tuple} from './values.js'

class NotALiteral extends Error {}

const JSON_NAMES = new Map<string, unknown>([
  ['False', false],
  ['None', null],
  ['True', true],
  ['false', false],
  ['null', null],
  ['true', true],
])

/** Python's ast.literal_eval over `ast.parse(text, mode='eval')`, with JSON's true/false/null (Ansible's Json2Python). */
class LiteralParser {
  private readonly text: string
  private pos = 0
  private depth = 0

  constructor(text: string) {
    this.text = text
  }

  parse(): unknown {
    const value = this.expressionList(true)
    this.space(true)
    if (this.pos < this.text.length) throw new NotALiteral()
    return value
  }

  private space(newlines: boolean): void {
    const text = this.text
    while (this.pos < text.length) {
      const char = text[this.pos]
      if (char === ' ' || char === '\t' || char === '\f' || (newlines && (char === '\n' || char === '\r'))) this.pos++
      else if (char === '\\' && text[this.pos + 1] === '\n') this.pos += 2
      else if (char === '#') {
        while (this.pos < text.length && text[this.pos] !== '\n') this.pos++
      } else break
    }
  }

  private peek(newlines: boolean): string {
    this.space(newlines)
    return this.text[this.pos] ?? ''
  }

  /** `a, b` as a tuple (a lone value stays itself); at top level newlines end the expression. */
  private expressionList(topLevel: boolean): unknown {
    const first = this.value(!topLevel)
    if (this.peek(!topLevel) !== ',') return first
    const items = [first]
    while (this.peek(!topLevel) === ',') {
      this.pos++
      const next = this.peek(!topLevel)
      if (next === '' || next === ')' || next === '\n') break
      items.push(this.value(!topLevel))
    }
    return tuple(items)
  }

  private value(newlines: boolean): unknown {
    if (++this.depth > 200) throw new NotALiteral()
    try {
      return this.atom(newlines)
    } finally {
      this.depth--
    }
  }

  private atom(newlines: boolean): unknown {
    const char = this.peek(newlines)
    if (char === '[') return this.sequence(']')
    if (char === '(') return this.sequence(')')
    if (char === '{') return this.dict()
    if (char === '-' || char === '+') {
      this.pos++
      const operand = this.atom(newlines)
      if (typeof operand === 'number') return char === '-' ? 0 - operand : operand
      if (operand instanceof PyFloat) return float(char === '-' ? -operand.value : operand.value)
      throw new NotALiteral()
    }
    const string = this.strings()
    if (string !== undefined) return string
    const number =
      /^(?:0[xX](?:_?[\da-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*)?\.?(?:\d(?:_?\d)*)?(?:[eE][-+]?\d(?:_?\d)*)?)/.exec(
        this.text.slice(this.pos),
      )?.[0]
    if (number && /\d/.test(number)) {
      this.pos += number.length
      if (/^[jJ\w]/.test(this.text[this.pos] ?? '')) throw new NotALiteral()
      return this.number(number.replaceAll('_', ''))
    }
    const name = /^[A-Za-z_]\w*/.exec(this.text.slice(this.pos))?.[0]
    if (name !== undefined && JSON_NAMES.has(name)) {
      this.pos += name.length
      return JSON_NAMES.get(name)
    }
    throw new NotALiteral()
  }

  private number(text: string): unknown {
    const lower = text.toLowerCase()
    if (lower.startsWith('0x')) return Number.parseInt(lower.slice(2), 16)
    if (lower.startsWith('0o')) return Number.parseInt(lower.slice(2), 8)
    if (lower.startsWith('0b')) return Number.parseInt(lower.slice(2), 2)
    if (/[.e]/.test(lower)) return float(Number(lower))
    if (/^0\d/.test(lower) && /[1-9]/.test(lower)) throw new NotALiteral()
    return Number(lower)
  }

  /** One string literal, or several adjacent ones concatenated; undefined when there is none here. */
  private strings(): string | undefined {
    let out: string | undefined
    for (;;) {
      const match = /^([rRuU]?)('''|"""|'|")/.exec(this.text.slice(this.pos))
      if (!match) return out
      this.pos += match[0].length
      out = (out ?? '') + this.stringBody(match[2] ?? "'", (match[1] ?? '').toLowerCase() === 'r')
      this.space(true)
    }
  }

  private stringBody(quote: string, raw: boolean): string {
    const text = this.text
    let out = ''
    for (;;) {
      if (this.pos >= text.length) throw new NotALiteral()
      if (text.startsWith(quote, this.pos)) {
        this.pos += quote.length
        return out
      }
      const char = text[this.pos] ?? ''
      if (char === '\n' && quote.length === 1) throw new NotALiteral()
      if (char !== '\\') {
        out += char
        this.pos++
        continue
      }
      const next = text[this.pos + 1] ?? ''
      if (raw) {
        out += char + next
        this.pos += 2
        continue
      }
      const simple = PYTHON_ESCAPES[next]
      if (simple !== undefined && Object.hasOwn(PYTHON_ESCAPES, next)) {
        out += simple
        this.pos += 2
        continue
      }
      const octal = /^[0-7]{1,3}/.exec(text.slice(this.pos + 1))?.[0]
      if (octal) {
        out += String.fromCodePoint(Number.parseInt(octal, 8))
        this.pos += 1 + octal.length
        continue
      }
      const width = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0
      if (width) {
        const digits = text.slice(this.pos + 2, this.pos + 2 + width)
        if (!new RegExp(`^[\\da-fA-F]{${width}}$`).test(digits)) throw new NotALiteral()
        const code = Number.parseInt(digits, 16)
        if (code > 0x10ffff) throw new NotALiteral()
        out += String.fromCodePoint(code)
        this.pos += 2 + width
        continue
      }
      out += char
      this.pos++
    }
  }

  private sequence(close: ']' | ')'): unknown {
    this.pos++
    const items: unknown[] = []
    let sawComma = false
    while (this.peek(true) !== close) {
      if (items.length) {
        if (this.peek(true) !== ',') throw new NotALiteral()
        this.pos++
        sawComma = true
        if (this.peek(true) === close) break
      }
      items.push(this.value(true))
    }
    this.pos++
    if (close === ']') return items
    if (items.length === 1 && !sawComma) return items[0]
    return tuple(items)
  }

  private dict(): Record<string, unknown> {
    this.pos++
    const out: Record<string, unknown> = {}
    let first = true
    while (this.peek(true) !== '}') {
      if (!first) {
        if (this.peek(true) !== ',') throw new NotALiteral()
        this.pos++
        if (this.peek(true) === '}') break
      }
      first = false
      const key = this.value(true)
      if (this.peek(true) !== ':') throw new NotALiteral()
      this.pos++
      const value = this.value(true)
      setItem(out, dictKey(key), value)
    }
    this.pos++
    return out
  }
}

/** The value Python's literal_eval reads from the text, or undefined (JS) when it is not a Python literal. */
export function literalEval(text: string): unknown {
  try {
    return new LiteralParser(text).parse()
  } catch (error) {
    if (error instanceof NotALiteral) return undefined
    throw error
  }
}
