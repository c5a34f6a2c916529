import type {Finding} from '../engine/role.js'
import type {ValidationResult} from '../engine/validator.js'
import type {InventorySource} from '../inventory/open.js'

import {UsageError} from '../core/errors.js'
import {stateDirFor} from '../core/state-dir.js'
import {withHostFacts} from '../engine/ansible-facts.js'
import {roleTargets} from '../engine/converge.js'
import {renderRole} from '../engine/render.js'
import {validateRendered} from '../engine/validate.js'
import {openInventory} from '../inventory/open.js'
import {selectRoles} from './select-roles.js'

export interface ValidateOptions extends InventorySource {
  /** A directory whose files override templates/ by relative path. */
  templates?: string | undefined
}

export interface ValidateReport {
  errors: number
  /** `skipped`: why a role was not validated (its groups have no hosts in this inventory). */
  roles: Array<{findings: Finding[]; role: string; skipped?: string; validations: ValidationResult[]}>
}

/** Render each role for all its hosts (offline) and run the real validators and the role's cluster rules on it. */
export async function validateRoles(roleName: string | undefined, options: ValidateOptions): Promise<ValidateReport> {
  const inventory = withHostFacts(await openInventory(options))
  const report: ValidateReport = {errors: 0, roles: []}
  for (const entry of selectRoles(roleName)) {
    for (const role of await entry.load()) {
      let hosts: string[]
      try {
        hosts = roleTargets(inventory, role, undefined, undefined)
      } catch (error) {
        if (!(error instanceof UsageError)) throw error
        report.roles.push({findings: [], role: role.name, skipped: error.message, validations: []})
        continue
      }
      const findings = role.check?.({hosts, inventory}) ?? []
      const rendered = renderRole(role, inventory, hosts, {
        operator: {publicKeys: []},
        stateDir: stateDirFor(options.inventory),
        templatesDir: options.templates,
      })
      const validations = await validateRendered(rendered)
      report.errors +=
        findings.filter((f) => f.level === 'error').length + validations.filter((v) => v.errors.length > 0).length
      report.roles.push({findings, role: role.name, validations})
    }
  }
  const skipped = report.roles.find((role) => role.skipped)
  if (roleName !== undefined && skipped && report.roles.every((role) => role.skipped)) {
    throw new UsageError(`${roleName}: ${skipped.skipped}`)
  }
  return report
}
