import type {Finding} from './role.js'
import type {ValidationResult} from './validate.js'

import {UsageError} from '../core/errors.js'
import {stateDirFor} from '../core/state-dir.js'
import {openInventory} from '../inventory/open.js'
import {withHostFacts} from './ansible-facts.js'
import {color} from '../output/color.js'
import {roleTargets} from './converge.js'
import {renderRole} from './render.js'
import {selectRoles} from './render-command.js'
import {validateRendered} from './validate.js'

export interface ValidateFlags {
  inventory: string
  templates?: string | undefined
  'vault-password-file'?: string | undefined
}

export interface ValidateReport {
  errors: number
  /** `skipped`: why a role was not validated (its groups have no hosts in this inventory). */
  roles: Array<{findings: Finding[]; role: string; skipped?: string; validations: ValidationResult[]}>
}

/** Render each role for all its hosts (offline) and run the real validators and the role's cluster rules on it. */
export async function validateRoles(roleName: string | undefined, flags: ValidateFlags): Promise<ValidateReport> {
  const inventory = withHostFacts(await openInventory(flags))
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
        stateDir: stateDirFor(flags.inventory),
        templatesDir: flags.templates,
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

export function renderValidateReport(report: ValidateReport): string {
  let text = ''
  for (const role of report.roles) {
    if (role.skipped) {
      text += `${color.bold(role.role)}: ${color.dim(`skipped (${role.skipped})`)}\n`
      continue
    }
    const failed = role.validations.filter((v) => v.errors.length > 0)
    text += `${color.bold(role.role)}: ${role.validations.length - failed.length}/${role.validations.length} checks passed\n`
    for (const finding of role.findings) {
      const label = finding.level === 'error' ? color.red('error') : color.magenta('warning')
      text += `  ${label} ${finding.host ? `${finding.host}: ` : ''}${finding.message}\n`
    }
    for (const validation of failed) {
      text += `  ${color.red('error')} ${validation.validator} ${validation.file} (${validation.hosts.join(',')}):\n`
      for (const line of validation.errors) text += `      ${line}\n`
    }
    const notes = new Set(role.validations.flatMap((v) => v.notes))
    for (const note of notes) text += color.dim(`  note: ${note} (present on the hosts, not on this machine)\n`)
  }
  text += report.errors === 0 ? color.green('valid\n') : color.red(`${report.errors} problem(s)\n`)
  return text
}
