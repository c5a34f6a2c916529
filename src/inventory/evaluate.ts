import type {Inventory, Vars} from './model.js'

import {TemplateError} from '../template/index.js'
import {evaluateForHost} from './host-scope.js'

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

/**
 * `inventory eval`: what the template comes to on each host, as `ansible PATTERN -m debug -a 'msg=TEMPLATE'` would
 * print it; values from Ansible Vault masked unless `showSecrets`.
 */
export function evaluateOnHosts(
  inventory: Inventory,
  hosts: readonly string[],
  template: string,
  showSecrets: boolean,
): Evaluation[] {
  return hosts.map((host): Evaluation => {
    const outcome = evaluateForHost(inventory, host, template)
    const texts = showSecrets ? [] : inventory.vaultTexts(host)
    return outcome.ok
      ? {host, ok: true, value: maskVault(JSON.parse(JSON.stringify(outcome.value ?? null)), texts)}
      : {error: maskVault(withoutHost(outcome.error.message, host), texts) as string, host, ok: false}
  })
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
