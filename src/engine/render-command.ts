import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'

import type {RenderedHost} from './render.js'

import {UsageError} from '../core/errors.js'
import {stateDirFor} from '../core/state-dir.js'
import {openInventory} from '../inventory/open.js'
import {withHostFacts} from './ansible-facts.js'
import {ROLES} from '../roles/catalog.js'
import {assumedFacts} from './facts.js'
import {sequenceTargets} from './converge.js'
import {operatorInfo} from './operator.js'
import {renderRole} from './render.js'

export interface RenderFlags {
  inventory: string
  limit?: string | undefined
  out: string
  templates?: string | undefined
  'vault-password-file'?: string | undefined
}

export interface RenderReport {
  out: string
  roles: Array<{hosts: Array<{files: string[]; host: string; warnings: string[]}>; role: string}>
}

/** Which roles a command names: one by name (with or without setup_), or all. */
export function selectRoles(name: string | undefined) {
  if (!name) return ROLES
  const entry = ROLES.find((role) => role.name === name || role.command === name || `setup_${role.name}` === name)
  if (!entry) throw new UsageError(`no role named ${name}`, `roles: ${ROLES.map((role) => role.name).join(', ')}`)
  return [entry]
}

/** Write every file the selected roles would put on every selected host into OUT/<role>/<host>/<path>. */
export async function renderToDirectory(
  roleName: string | undefined,
  pattern: string | undefined,
  flags: RenderFlags,
): Promise<RenderReport> {
  const inventory = withHostFacts(await openInventory(flags))
  const operator = await operatorInfo()
  const report: RenderReport = {out: flags.out, roles: []}
  for (const entry of selectRoles(roleName)) {
    for (const [role, hosts] of sequenceTargets(inventory, await entry.load(), pattern, flags.limit)) {
      const rendered: RenderedHost[] = renderRole(role, inventory, hosts, {
        operator,
        stateDir: stateDirFor(flags.inventory),
        templatesDir: flags.templates,
      })
      for (const host of rendered) {
        const root = path.join(flags.out, role.name, host.host)
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
