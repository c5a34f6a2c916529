import {isAlias, isMap, isPair, isScalar, isSeq, visit, type Node, type Scalar, type YAMLMap} from 'yaml'

import type {SourceLocation} from '../core/errors.js'
import {VAULT_TAGS, locate, type YamlFile} from './yaml.js'

export type ValuePath = (string | number)[]

/** One mapping entry after aliases and `<<` merge keys are resolved. */
export interface MapEntry {
  key: unknown
  keyNode: Node
  value: Node | null
}

/** Decrypted `!vault` scalars of one file; `undefined` when there was no password to decrypt them with. */
export type VaultPlaintexts = Map<Scalar, string | undefined>

/** A value read from YAML, with what the inventory needs to know about its secrets. */
export interface ReadValue {
  value: unknown
  /** Paths (inside the value) of strings that were `!vault`-encrypted; `[]` means the whole value. */
  secrets: ValuePath[]
  /** Where the first `!vault` value that could not be decrypted (no password) sits. */
  locked?: SourceLocation | undefined
}

export const VAULT_PLACEHOLDER = '<vault>'

/** The node an alias points at; empty and `~`/`null` scalars become null. */
function resolveAlias(node: unknown, yaml: YamlFile): Node | null {
  const target = isAlias(node) ? yaml.aliases.get(node) : (node as Node | null | undefined)
  return !target || (isScalar(target) && target.value === null) ? null : target
}

function isMergeKey(node: unknown): boolean {
  return isScalar(node) && node.type === 'PLAIN' && node.value === '<<' && !node.tag
}

function mergedMaps(value: Node | null, yaml: YamlFile, onWarning: (message: string) => void): YAMLMap[] {
  if (isMap(value)) return [value]
  if (isSeq(value)) {
    const maps = value.items.map((item) => resolveAlias(item, yaml)).filter((item): item is YAMLMap => isMap(item))
    return maps.reverse()
  }
  const where = value ? locate(yaml, value) : undefined
  onWarning(`${where ? `${where.file}:${where.line}:${where.col}: ` : ''}'<<' needs a mapping or a list of mappings`)
  return []
}

/**
 * The entries of a mapping as PyYAML builds the dict: merged (`<<`) entries first, then the mapping's own; a repeated
 * key keeps its first position and its last value. Duplicate keys are reported as warnings, as Ansible does.
 */
export function mapEntries(map: YAMLMap, yaml: YamlFile, onWarning: (message: string) => void): MapEntry[] {
  const merged: MapEntry[] = []
  const own: MapEntry[] = []
  for (const pair of map.items) {
    const keyNode = resolveAlias(pair.key, yaml)
    const value = resolveAlias(pair.value, yaml)
    if (isMergeKey(keyNode)) {
      for (const source of mergedMaps(value, yaml, onWarning)) merged.push(...mapEntries(source, yaml, onWarning))
      continue
    }
    if (!keyNode) continue
    own.push({key: isScalar(keyNode) ? keyNode.value : keyNode, keyNode, value})
  }
  const result = new Map<unknown, MapEntry>()
  const seen = new Set<unknown>()
  for (const entry of merged) result.set(entry.key, entry)
  for (const entry of own) {
    if (seen.has(entry.key)) {
      const where = locate(yaml, entry.keyNode)
      onWarning(
        `${where.file}:${where.line}:${where.col}: duplicate key '${String(entry.key)}' (the last value is used)`,
      )
    }
    seen.add(entry.key)
    result.set(entry.key, entry)
  }
  return [...result.values()]
}

/** Every `!vault` scalar in a document, so they can all be decrypted (in parallel) before values are read. */
export function vaultScalars(yaml: YamlFile): Scalar[] {
  const found: Scalar[] = []
  visit(yaml.doc, {
    Scalar(_key, node) {
      if (node.tag && VAULT_TAGS.has(node.tag)) found.push(node)
    },
  })
  return found
}

export class ValueReader {
  private readonly yaml: YamlFile
  private readonly vault: VaultPlaintexts
  private readonly onWarning: (message: string) => void

  constructor(yaml: YamlFile, vault: VaultPlaintexts, onWarning: (message: string) => void) {
    this.yaml = yaml
    this.vault = vault
    this.onWarning = onWarning
  }

  read(node: Node | null): ReadValue {
    const result: ReadValue = {secrets: [], value: undefined}
    result.value = this.convert(node, [], result)
    return result
  }

  private convert(raw: unknown, path: ValuePath, result: ReadValue): unknown {
    const node = resolveAlias(raw, this.yaml)
    if (node === null) return null
    if (isScalar(node)) {
      if (node.tag && VAULT_TAGS.has(node.tag)) {
        result.secrets.push(path)
        const plaintext = this.vault.get(node)
        if (plaintext !== undefined) return plaintext
        result.locked ??= locate(this.yaml, node)
        return VAULT_PLACEHOLDER
      }
      return node.value
    }
    if (isMap(node)) {
      const object: Record<string, unknown> = {}
      for (const entry of mapEntries(node, this.yaml, this.onWarning)) {
        const key = String(entry.key)
        object[key] = this.convert(entry.value, [...path, key], result)
      }
      return object
    }
    if (isSeq(node)) {
      return node.items.map((item, index) => {
        if (!isPair(item)) return this.convert(item, [...path, index], result)
        const key = String(isScalar(item.key) ? item.key.value : item.key)
        return {[key]: this.convert(item.value, [...path, index, key], result)}
      })
    }
    return null
  }
}
