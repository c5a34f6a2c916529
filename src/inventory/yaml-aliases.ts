import {isAlias, isMap, isPair, isScalar, isSeq, type Alias, type Document, type Node} from 'yaml'

/** How many values aliases may expand a file to: this many, or ALIAS_EXPANSION_FACTOR times its own, if more. */
const ALIAS_EXPANSION_LIMIT = 1_000_000
const ALIAS_EXPANSION_FACTOR = 20

type AliasProblem = {node: Node; message: string; hint?: string}

export interface AliasTable {
  /** The node each alias refers to. */
  targets: ReadonlyMap<Alias, Node>
  problem?: AliasProblem | undefined
}

/**
 * Resolve every alias of a document in one pass, each to the last node before it with its anchor (as YAML and the
 * yaml library's Alias.resolve(), which walks the whole document for every alias), and measure what the aliases
 * expand the document to. A recursive alias or an expansion past the limit (an alias bomb: nine levels of nine aliases
 * make 387 million values) is a problem, found before any alias is expanded.
 */
export function resolveAliases(doc: Document.Parsed): AliasTable {
  const targets = new Map<Alias, Node>()
  const anchors = new Map<string, Node>()
  const sizes = new Map<Node, number>()
  let own = 0
  let largest: {alias: Alias; size: number} | undefined
  let recursive: Alias | undefined

  const size = (node: unknown): number => {
    if (isAlias(node)) {
      own += 1
      const target = anchors.get(node.source)
      if (!target) return 1
      targets.set(node, target)
      const expanded = sizes.get(target)
      if (expanded === undefined) {
        recursive ??= node
        return 1
      }
      if (!largest || expanded > largest.size) largest = {alias: node, size: expanded}
      return expanded
    }
    if (isPair(node)) return size(node.key) + size(node.value)
    if (!isScalar(node) && !isMap(node) && !isSeq(node)) return 0
    if (node.anchor) anchors.set(node.anchor, node)
    own += 1
    let total = 1
    if (isMap(node) || isSeq(node)) for (const item of node.items) total += size(item)
    sizes.set(node, total)
    return total
  }

  const expanded = size(doc.contents)
  if (recursive) {
    const message = `YAML: alias *${recursive.source} is inside the value it refers to (a recursive alias)`
    return {problem: {message, node: recursive}, targets}
  }
  const limit = Math.max(ALIAS_EXPANSION_LIMIT, ALIAS_EXPANSION_FACTOR * own)
  if (largest && expanded > limit) {
    return {
      problem: {
        hint: 'write the repeated values out, or alias smaller ones; nested aliases multiply (an alias bomb)',
        message:
          `YAML: aliases expand this file to more than ${limit.toLocaleString('en')} values ` +
          `(*${largest.alias.source} alone stands for ${largest.size.toLocaleString('en')})`,
        node: largest.alias,
      },
      targets,
    }
  }
  return {targets}
}
