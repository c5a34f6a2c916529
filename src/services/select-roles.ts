import {UsageError} from '../core/errors.js'
import {ROLES, type RoleEntry} from '../roles/catalog.js'

/** Which roles a command names: one by name (with or without setup_), or all. */
export function selectRoles(name: string | undefined): RoleEntry[] {
  if (!name) return ROLES
  const entry = ROLES.find((role) => role.name === name || role.command === name || `setup_${role.name}` === name)
  if (!entry) throw new UsageError(`no role named ${name}`, `roles: ${ROLES.map((role) => role.name).join(', ')}`)
  return [entry]
}
