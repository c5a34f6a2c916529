import {LineCounter, parseDocument, type Alias, type Document, type Node, type ScalarTag, type Tags} from 'yaml'

import type {SourceLocation} from '../core/errors.js'
import type {Problem} from './problems.js'

import {holdsTemplate} from '../template/holds-template.js'
import {resolveAliases} from './yaml-aliases.js'

/** A parsed YAML file and what is needed to point at any of its nodes. */
export interface YamlFile {
  file: string
  doc: Document.Parsed
  lines: LineCounter
  /** The node each alias refers to. */
  aliases: ReadonlyMap<Alias, Node>
}

export function locate(yaml: YamlFile, node: {range?: readonly number[] | null | undefined}): SourceLocation {
  const {line, col} = yaml.lines.linePos(node.range?.[0] ?? 0)
  return {file: yaml.file, line, col}
}

/** Tags Ansible's YAML loader adds; their scalars are strings (`!vault` ones are decrypted later). */
export const VAULT_TAGS = new Set(['!vault', '!vault-encrypted'])

// PyYAML's YAML 1.1 implicit resolvers, which Ansible uses: no y/n booleans, floats need a dot, no 1e5.
const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/
const INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/

function sexagesimal(text: string, parse: (part: string) => number): number {
  return text.split(':').reduce((total, part) => total * 60 + parse(part), 0)
}

function signed(text: string): {sign: number; digits: string} {
  const clean = text.replaceAll('_', '')
  const sign = clean.startsWith('-') ? -1 : 1
  return {sign, digits: clean[0] === '-' || clean[0] === '+' ? clean.slice(1) : clean}
}

function resolveInt(text: string, onError: (message: string) => void): number {
  const {sign, digits} = signed(text)
  const value =
    digits === '0'
      ? 0
      : digits.startsWith('0b')
        ? parseInt(digits.slice(2), 2)
        : digits.startsWith('0x')
          ? parseInt(digits.slice(2), 16)
          : digits.startsWith('0')
            ? parseInt(digits, 8)
            : digits.includes(':')
              ? sexagesimal(digits, (part) => parseInt(part, 10))
              : parseInt(digits, 10)
  if (Number.isNaN(value)) onError(`invalid integer '${text}'`)
  return sign * value + 0
}

function resolveFloat(text: string): number {
  const {sign, digits} = signed(text.toLowerCase())
  if (digits === '.inf') return sign * Infinity
  if (digits === '.nan') return NaN
  return sign * (digits.includes(':') ? sexagesimal(digits, Number.parseFloat) : Number.parseFloat(digits))
}

const pyyamlScalars: ScalarTag[] = [
  {
    default: true,
    identify: (value) => typeof value === 'boolean',
    resolve: (text) => /^(?:yes|true|on)$/i.test(text),
    tag: 'tag:yaml.org,2002:bool',
    test: BOOL,
  },
  {
    default: true,
    identify: (value) => Number.isInteger(value),
    resolve: (text, onError) => resolveInt(text, onError),
    tag: 'tag:yaml.org,2002:int',
    test: INT,
  },
  {
    default: true,
    identify: (value) => typeof value === 'number',
    resolve: resolveFloat,
    tag: 'tag:yaml.org,2002:float',
    test: FLOAT,
  },
  // Ansible never templates an !unsafe value: its template syntax is kept as text, inside a raw block.
  {resolve: (text: string) => (holdsTemplate(text) ? `{% raw %}${text}{% endraw %}` : text), tag: '!unsafe'},
  ...[...VAULT_TAGS].map((tag) => ({resolve: (text: string) => text, tag})),
]

// Dates stay strings (Ansible would make date objects); `<<` merge keys are handled by the value reader.
const REPLACED = new Set([
  'tag:yaml.org,2002:bool',
  'tag:yaml.org,2002:int',
  'tag:yaml.org,2002:float',
  'tag:yaml.org,2002:timestamp',
  'tag:yaml.org,2002:merge',
])

function pyyamlTags(tags: Tags): Tags {
  return [...tags.filter((tag) => typeof tag === 'string' || !REPLACED.has(tag.tag)), ...pyyamlScalars]
}

/** Parse YAML as Ansible's loader does (YAML 1.1, PyYAML's scalars). The first syntax error comes back as a problem. */
export function parseYaml(text: string, file: string): {yaml: YamlFile; problems: Problem[]} {
  const lines = new LineCounter()
  const doc = parseDocument(text, {
    customTags: pyyamlTags,
    lineCounter: lines,
    prettyErrors: false,
    schema: 'yaml-1.1',
    uniqueKeys: false,
    version: '1.1',
  })
  const failure = [...doc.errors, ...doc.warnings.filter((warning) => warning.code === 'TAG_RESOLVE_FAILED')][0]
  if (failure) {
    const yaml = {aliases: new Map(), doc, file, lines}
    let offset = failure.pos[0]
    while (offset < text.length && /\s/.test(text[offset]!)) offset += 1
    const problems = [{location: locate(yaml, {range: [offset]}), message: `YAML: ${failure.message.split('\n')[0]}`}]
    return {problems, yaml}
  }
  const {targets, problem} = resolveAliases(doc)
  const yaml = {aliases: targets, doc, file, lines}
  if (!problem) return {problems: [], yaml}
  return {problems: [{hint: problem.hint, location: locate(yaml, problem.node), message: problem.message}], yaml}
}
