import type {Inventory} from '../inventory/model.js'
import type {Resource} from './resources.js'

import {InvalidInputError} from '../core/errors.js'

const SYNTAX = /\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}/s

/** Where a text occurs among a value's strings: `nfs.mounts.primary.share`, or undefined. */
function pathTo(value: unknown, text: string, at: string): string | undefined {
  if (typeof value === 'string') return value.includes(text) ? at : undefined
  if (value === null || typeof value !== 'object') return undefined
  for (const [key, item] of Object.entries(value)) {
    const found = pathTo(item, text, Array.isArray(value) ? `${at}[${key}]` : `${at}.${key}`)
    if (found) return found
  }
  return undefined
}

/**
 * Refuse a file that would carry template syntax out of an inventory value: Ansible leaves some values as written
 * (`!unsafe` ones, and another host's value that reads `hostvars` or something undefined, through `hostvars[…]`), and
 * such text must never reach a host. Template syntax a role's own template writes on purpose is left alone.
 */
export function refuseUnresolved(inventory: Inventory, host: string, resources: readonly Resource[]): void {
  for (const resource of resources) {
    if (resource.kind !== 'file' || typeof resource.content !== 'string') continue
    const snippet = SYNTAX.exec(resource.content)?.[0]
    if (snippet === undefined) continue
    for (const [name, value] of Object.entries(inventory.rawHostVars(host))) {
      const variable = pathTo(value, snippet, name)
      if (variable === undefined) continue
      throw new InvalidInputError(
        `${host}: ${resource.path} would contain ${JSON.stringify(snippet)}, left untemplated from the variable ${variable}`,
        inventory.varLocation(host, name),
        'Ansible leaves !unsafe values, and values it reads through hostvars[…] that use hostvars or an undefined name, as written: give the value directly, or read it on its own host',
      )
    }
  }
}
