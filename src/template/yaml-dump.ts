import {TemplateFault} from './fault.js'
import {floatRepr} from './repr.js'
import {Undefined} from './undefined.js'
import {LazyMapping, PyFloat, failUndefined, isDict, mappingEntries, typeName} from './values.js'

export interface YamlOptions {
  indent: number
  width: number
  /** true: always block style; null: a collection of scalars only is written in flow style (PyYAML's default). */
  blockOnly: boolean
  sortKeys: boolean
}

/** PyYAML's YAML 1.1 implicit resolvers: a plain scalar matching one of these would not read back as a string. */
const IMPLICIT = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:<<)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
  /^(?:=)$/,
]

const BREAKS = '\n\x85\u2028\u2029'
const WHITESPACE = '\0 \t\r\n\x85\u2028\u2029'
const ESCAPES: Record<string, string> = {
  '\0': '0',
  '\x07': 'a',
  '\x08': 'b',
  '\t': 't',
  '\n': 'n',
  '\x0b': 'v',
  '\x0c': 'f',
  '\r': 'r',
  '\x1b': 'e',
  '"': '"',
  '\\': '\\',
  '\x85': 'N',
  '\xa0': '_',
  '\u2028': 'L',
  '\u2029': 'P',
}

interface Analysis {
  empty: boolean
  multiline: boolean
  flowPlain: boolean
  blockPlain: boolean
  singleQuoted: boolean
}

function printable(char: string): boolean {
  const code = char.codePointAt(0) ?? 0
  return (
    char === '\x85' ||
    (code >= 0xa0 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code < 0x10ffff && code !== 0xfeff)
  )
}

/** PyYAML's Emitter.analyze_scalar: which styles can write this text. */
function analyze(text: string): Analysis {
  if (!text) return {blockPlain: true, empty: true, flowPlain: false, multiline: false, singleQuoted: true}
  const chars = Array.from(text)
  let block = text.startsWith('---') || text.startsWith('...')
  let flow = block
  let lineBreaks = false
  let special = false
  let leadingSpace = false
  let leadingBreak = false
  let trailingSpace = false
  let trailingBreak = false
  let breakSpace = false
  let spaceBreak = false
  let previousSpace = false
  let previousBreak = false
  let precededByWhitespace = true
  let followedByWhitespace = chars.length === 1 || WHITESPACE.includes(chars[1] ?? '')
  chars.forEach((char, index) => {
    if (index === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(char)) flow = block = true
      if ('?:'.includes(char)) {
        flow = true
        if (followedByWhitespace) block = true
      }
      if (char === '-' && followedByWhitespace) flow = block = true
    } else {
      if (',?[]{}'.includes(char)) flow = true
      if (char === ':') {
        flow = true
        if (followedByWhitespace) block = true
      }
      if (char === '#' && precededByWhitespace) flow = block = true
    }
    if (BREAKS.includes(char)) lineBreaks = true
    const code = char.codePointAt(0) ?? 0
    if (!(char === '\n' || (code >= 0x20 && code <= 0x7e)) && !printable(char)) special = true
    if (char === ' ') {
      if (index === 0) leadingSpace = true
      if (index === chars.length - 1) trailingSpace = true
      if (previousBreak) breakSpace = true
      previousSpace = true
      previousBreak = false
    } else if (BREAKS.includes(char)) {
      if (index === 0) leadingBreak = true
      if (index === chars.length - 1) trailingBreak = true
      if (previousSpace) spaceBreak = true
      previousSpace = false
      previousBreak = true
    } else {
      previousSpace = false
      previousBreak = false
    }
    precededByWhitespace = WHITESPACE.includes(char)
    followedByWhitespace = index + 2 >= chars.length || WHITESPACE.includes(chars[index + 2] ?? '')
  })
  let flowPlain = true
  let blockPlain = true
  let singleQuoted = true
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) flowPlain = blockPlain = false
  if (breakSpace) flowPlain = blockPlain = singleQuoted = false
  if (spaceBreak || special) flowPlain = blockPlain = singleQuoted = false
  if (lineBreaks) flowPlain = blockPlain = false
  if (flow) flowPlain = false
  if (block) blockPlain = false
  return {blockPlain, empty: false, flowPlain, multiline: lineBreaks, singleQuoted}
}

interface Context {
  mapping?: boolean
  simpleKey?: boolean
}

/** The text of a scalar and whether it reads back as the same type when written plain. */
function scalarText(value: unknown): {text: string; implicit: boolean} {
  if (value === null || value === undefined) return {implicit: true, text: 'null'}
  if (typeof value === 'boolean') return {implicit: true, text: value ? 'true' : 'false'}
  if (typeof value === 'number' || value instanceof PyFloat) {
    const number = typeof value === 'number' ? value : value.value
    if (typeof value === 'number' && Number.isInteger(value)) return {implicit: true, text: String(value)}
    if (Number.isNaN(number)) return {implicit: true, text: '.nan'}
    if (!Number.isFinite(number)) return {implicit: true, text: number > 0 ? '.inf' : '-.inf'}
    const repr = floatRepr(number).toLowerCase()
    return {implicit: true, text: !repr.includes('.') && repr.includes('e') ? repr.replace('e', '.0e') : repr}
  }
  if (typeof value === 'string') return {implicit: !IMPLICIT.some((pattern) => pattern.test(value)), text: value}
  throw new TemplateFault(`cannot represent an object: ${typeName(value)}`)
}

function isCollection(value: unknown): boolean {
  return Array.isArray(value) || value instanceof LazyMapping || isDict(value)
}

/** PyYAML's emitter (as libyaml writes it for Ansible's to_yaml and to_nice_yaml), for plain data. */
class Emitter {
  private out = ''
  private column = 0
  private indent: number | undefined = undefined
  private readonly indents: (number | undefined)[] = []
  private whitespace = true
  private indention = true
  private flowLevel = 0
  private readonly options: YamlOptions

  constructor(options: YamlOptions) {
    this.options = options
  }

  document(value: unknown): string {
    this.node(value, {})
    this.writeIndent()
    return this.out
  }

  private write(data: string): void {
    this.out += data
    this.column += Array.from(data).length
  }

  private increaseIndent(flow: boolean, indentless = false): void {
    this.indents.push(this.indent)
    if (this.indent === undefined) this.indent = flow ? this.options.indent : 0
    else if (!indentless) this.indent += this.options.indent
  }

  private writeIndent(): void {
    const indent = this.indent ?? 0
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.lineBreak()
    if (this.column < indent) {
      this.whitespace = true
      this.write(' '.repeat(indent - this.column))
    }
  }

  private lineBreak(data = '\n'): void {
    this.whitespace = true
    this.indention = true
    this.out += data
    this.column = 0
  }

  private indicator(indicator: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    const data = this.whitespace || !needWhitespace ? indicator : ` ${indicator}`
    this.whitespace = whitespace
    this.indention = this.indention && indention
    this.write(data)
  }

  private node(value: unknown, context: Context): void {
    if (value instanceof Undefined) failUndefined(value)
    if (Array.isArray(value)) {
      const flow = this.flowLevel > 0 || value.length === 0 || (!this.options.blockOnly && !value.some(isCollection))
      if (flow)
        this.flowCollection(
          '[',
          ']',
          value.map((item) => [item]),
        )
      else this.blockSequence(value, context)
      return
    }
    if (value instanceof LazyMapping || isDict(value)) {
      const entries = mappingEntries(value)
      if (this.options.sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      const flow =
        this.flowLevel > 0 ||
        entries.length === 0 ||
        (!this.options.blockOnly && !entries.some(([, item]) => isCollection(item)))
      if (flow) this.flowCollection('{', '}', entries)
      else this.blockMapping(entries)
      return
    }
    this.increaseIndent(true)
    this.scalar(value, context)
    this.indent = this.indents.pop()
  }

  private blockSequence(items: unknown[], context: Context): void {
    this.increaseIndent(false, Boolean(context.mapping) && !this.indention)
    for (const item of items) {
      this.writeIndent()
      this.indicator('-', true, false, true)
      this.node(item, {})
    }
    this.indent = this.indents.pop()
  }

  private blockMapping(entries: [string, unknown][]): void {
    this.increaseIndent(false)
    for (const [key, item] of entries) {
      this.writeIndent()
      this.node(key, {mapping: true, simpleKey: true})
      this.indicator(':', false)
      this.node(item, {mapping: true})
    }
    this.indent = this.indents.pop()
  }

  /** A flow sequence (entries of one item) or mapping (key and value). */
  private flowCollection(open: string, close: string, entries: unknown[][]): void {
    this.indicator(open, true, true)
    this.flowLevel++
    this.increaseIndent(true)
    entries.forEach((entry, index) => {
      if (index > 0) this.indicator(',', false)
      if (this.column > this.options.width) this.writeIndent()
      if (entry.length === 1) this.node(entry[0], {})
      else {
        this.node(entry[0], {mapping: true, simpleKey: true})
        this.indicator(':', false)
        this.node(entry[1], {mapping: true})
      }
    })
    this.indent = this.indents.pop()
    this.flowLevel--
    this.indicator(close, false)
  }

  private scalar(value: unknown, context: Context): void {
    const {text, implicit} = scalarText(value)
    const analysis = analyze(text)
    const simpleKey = Boolean(context.simpleKey)
    const split = !simpleKey
    const plainAllowed = this.flowLevel > 0 ? analysis.flowPlain : analysis.blockPlain
    if (implicit && !(simpleKey && (analysis.empty || analysis.multiline)) && plainAllowed) this.plain(text, split)
    else if (analysis.singleQuoted && !(simpleKey && analysis.multiline)) this.singleQuoted(text, split)
    else this.doubleQuoted(text, split)
  }

  private plain(text: string, split: boolean): void {
    if (!text) return
    if (!this.whitespace) this.write(' ')
    this.whitespace = false
    this.indention = false
    const chars = Array.from(text)
    let spaces = false
    let start = 0
    for (let end = 0; end <= chars.length; end++) {
      const char = chars[end]
      if (spaces) {
        if (char !== ' ') {
          if (start + 1 === end && this.column > this.options.width && split) {
            this.writeIndent()
            this.whitespace = false
            this.indention = false
          } else this.write(chars.slice(start, end).join(''))
          start = end
        }
      } else if (char === undefined || ` ${BREAKS}`.includes(char)) {
        this.write(chars.slice(start, end).join(''))
        start = end
      }
      if (char !== undefined) spaces = char === ' '
    }
  }

  private singleQuoted(text: string, split: boolean): void {
    this.indicator("'", true)
    const chars = Array.from(text)
    let spaces = false
    let breaks = false
    let start = 0
    for (let end = 0; end <= chars.length; end++) {
      const char = chars[end]
      if (spaces) {
        if (char !== ' ') {
          if (start + 1 === end && this.column > this.options.width && split && start !== 0 && end !== chars.length) {
            this.writeIndent()
          } else this.write(chars.slice(start, end).join(''))
          start = end
        }
      } else if (breaks) {
        if (char === undefined || !BREAKS.includes(char)) {
          if (chars[start] === '\n') this.lineBreak()
          for (const lineBreak of chars.slice(start, end)) this.lineBreak(lineBreak === '\n' ? '\n' : lineBreak)
          this.writeIndent()
          start = end
        }
      } else if (char === undefined || ` ${BREAKS}'`.includes(char)) {
        if (start < end) {
          this.write(chars.slice(start, end).join(''))
          start = end
        }
      }
      if (char === "'") {
        this.write("''")
        start = end + 1
      }
      if (char !== undefined) {
        spaces = char === ' '
        breaks = BREAKS.includes(char)
      }
    }
    this.indicator("'", false)
  }

  private doubleQuoted(text: string, split: boolean): void {
    this.indicator('"', true)
    const chars = Array.from(text)
    let start = 0
    for (let end = 0; end <= chars.length; end++) {
      const char = chars[end]
      const code = char?.codePointAt(0) ?? 0
      if (
        char === undefined ||
        '"\\\x85\u2028\u2029\ufeff'.includes(char) ||
        !((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd))
      ) {
        if (start < end) {
          this.write(chars.slice(start, end).join(''))
          start = end
        }
        if (char !== undefined) {
          const escape = ESCAPES[char]
          const hex = code.toString(16).toUpperCase()
          this.write(
            escape !== undefined && Object.hasOwn(ESCAPES, char)
              ? `\\${escape}`
              : code <= 0xff
                ? `\\x${hex.padStart(2, '0')}`
                : code <= 0xffff
                  ? `\\u${hex.padStart(4, '0')}`
                  : `\\U${hex.padStart(8, '0')}`,
          )
          start = end + 1
        }
      }
      if (
        end > 0 &&
        end < chars.length - 1 &&
        (char === ' ' || start >= end) &&
        this.column + (end - start) > this.options.width &&
        split
      ) {
        this.write(`${chars.slice(start, end).join('')}\\`)
        if (start < end) start = end
        this.writeIndent()
        this.whitespace = false
        this.indention = false
        if (chars[start] === ' ') this.write('\\')
      }
    }
    this.indicator('"', false)
  }
}

/** yaml.dump(value) as Ansible's to_yaml/to_nice_yaml call it. */
export function yamlDump(value: unknown, options: YamlOptions): string {
  return new Emitter(options).document(value)
}
