import type {ValidateReport} from '../../services/validate-roles.js'
import type {Renderer} from '../renderer.js'

import {EXIT} from '../../core/exit-codes.js'
import {color} from '../../output/color.js'

/** Per role: checks passed, findings, each failed validator's errors, notes; exit 3 on any problem. */
export const validateRolesRenderer: Renderer<ValidateReport> = {
  exitCode: (report) => (report.errors === 0 ? EXIT.ok : EXIT.invalid),
  text: (report) => ({stdout: renderValidateReport(report)}),
}

function renderValidateReport(report: ValidateReport): string {
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
