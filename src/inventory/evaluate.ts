import type {Inventory, Vars} from './model.js'
import type {Report} from './report.js'

import {color} from '../output/color.js'
import {selectHosts} from '../patterns/select.js'
import {evaluateForHost, TemplateError} from '../template/index.js'
import {printWarnings} from './open.js'

const MASK = '<vault>'

export type Evaluation = {host: string; ok: true; value: unknown} | {error: string; host: string; ok: false}

/** Every vault text inside a value replaced by <vault>. */
export function maskVault(value: unknown, texts: readonly string[]): unknown {
  if (texts.length === 0) return value
  if (typeof value === 'string') return texts.reduce((text, secret) => text.replaceAll(secret, MASK), value)
  if (Array.isArray(value)) return value.map((item) => maskVault(item, texts))
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskVault(item, texts)]))
  return value
}

/** The message without `host NAME`, which the folded output and the document say already. */
function withoutHost(message: string, host: string): string {
  return message.replace(`host ${host}, `, '').replace(`host ${host}: `, '')
}

function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2)
}

/**
 * `inventory eval PATTERN TEMPLATE`: what the template comes to on each host, as `ansible PATTERN -m debug -a
 * 'msg=TEMPLATE'` would print it; hosts with the same outcome are folded together.
 */
export function evaluationReport(
  inventory: Inventory,
  pattern: string,
  template: string,
  options: {limit?: string | undefined; showSecrets: boolean},
): Report<{results: Evaluation[]}> & {failed: number} {
  const {hosts, warnings} = selectHosts(inventory, pattern, {limit: options.limit})
  printWarnings(warnings)
  const results = hosts.map((host): Evaluation => {
    const outcome = evaluateForHost(inventory, host, template)
    const texts = options.showSecrets ? [] : inventory.vaultTexts(host)
    return outcome.ok
      ? {host, ok: true, value: maskVault(JSON.parse(JSON.stringify(outcome.value ?? null)), texts)}
      : {error: maskVault(withoutHost(outcome.error.message, host), texts) as string, host, ok: false}
  })
  const blocks = new Map<string, {hosts: string[]; result: Evaluation}>()
  for (const result of results) {
    const key = JSON.stringify(result.ok ? [true, result.value] : [false, result.error])
    const block = blocks.get(key)
    if (block) block.hosts.push(result.host)
    else blocks.set(key, {hosts: [result.host], result})
  }
  const text = [...blocks.values()]
    .map(({hosts: folded, result}) => {
      const header = `${color.bold(folded.join(','))} (${folded.length}) | `
      return result.ok
        ? `${header}${color.green('ok')}\n${shown(result.value)}`
        : `${header}${color.red(`FAILED: ${result.error}`)}`
    })
    .join('\n')
  return {failed: results.filter((result) => !result.ok).length, json: {results}, text}
}

/** A host's variables as its tasks would see them, each templated; one that cannot be says why in its place. */
export function resolvedVars(inventory: Inventory, host: string, showSecrets: boolean): {failed: string[]; vars: Vars} {
  const scope = inventory.templateScope(host)
  const texts = showSecrets ? [] : inventory.vaultTexts(host)
  const failed: string[] = []
  const vars: Vars = {}
  for (const name of scope.names()) {
    if (name === 'groups') continue
    try {
      vars[name] = maskVault(JSON.parse(JSON.stringify(scope.value(name) ?? null)), texts)
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error
      failed.push(error.message)
      vars[name] = `<error: ${error.problem}>`
    }
  }
  return {failed, vars}
}
