import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'

import type {RenderedHost} from '../engine/render.js'
import type {InventorySource} from '../inventory/open.js'

import {stateDirFor} from '../core/state-dir.js'
import {withHostFacts} from '../engine/ansible-facts.js'
import {sequenceTargets} from '../engine/converge.js'
import {assumedFacts} from '../engine/facts.js'
import {operatorInfo} from '../engine/operator.js'
import {renderRole} from '../engine/render.js'
import {openInventory} from '../inventory/open.js'
import {selectRoles} from './select-roles.js'

export interface RenderOptions extends InventorySource {
  /** Further narrows the roles' hosts, like ansible --limit. */
  limit?: string | undefined
  /** The directory to write into. */
  out: string
  /** A directory whose files override templates/ by relative path. */
  templates?: string | undefined
}

export interface RenderReport {
  out: string
  roles: Array<{hosts: Array<{files: string[]; host: string; warnings: string[]}>; role: string}>
}

/** Write every file the selected roles would put on every selected host into OUT/<role>/<host>/<path>. */
export async function renderToDirectory(
  roleName: string | undefined,
  pattern: string | undefined,
  options: RenderOptions,
): Promise<RenderReport> {
  const inventory = withHostFacts(await openInventory(options))
  const operator = await operatorInfo()
  const report: RenderReport = {out: options.out, roles: []}
  for (const entry of selectRoles(roleName)) {
    for (const [role, hosts] of sequenceTargets(inventory, await entry.load(), pattern, options.limit)) {
      const rendered: RenderedHost[] = renderRole(role, inventory, hosts, {
        operator,
        stateDir: stateDirFor(options.inventory),
        templatesDir: options.templates,
      })
      for (const host of rendered) {
        const root = path.join(options.out, role.name, host.host)
        await mkdir(root, {recursive: true})
        for (const file of host.files) {
          const target = path.join(root, file.partial ? `${file.path}.lines` : file.path)
          await mkdir(path.dirname(target), {recursive: true})
          await writeFile(target, file.content, {mode: file.secret ? 0o600 : 0o644})
        }
        await writeFile(path.join(root, 'plan.txt'), `${host.plan.join('\n')}\n`)
        const facts = assumedFacts(host.host, inventory.hostVars(host.host))
        await writeFile(path.join(root, 'facts.assumed.json'), `${JSON.stringify(facts, null, 2)}\n`)
      }
      report.roles.push({
        hosts: rendered.map((host) => ({
          files: host.files.map((file) => file.path),
          host: host.host,
          warnings: host.warnings,
        })),
        role: role.name,
      })
    }
  }
  return report
}
