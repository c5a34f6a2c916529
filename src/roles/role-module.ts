import type {Role} from '../engine/role.js'

/** A string option of one role's command (`setup_zfs --force-wipe /dev/sdb`); roles read it as context.options. */
export interface RoleOption {
  /** A value for the command's help examples. */
  example: string
  summary: string
}

/** What the CLI knows of a role before loading its code: a role folder's meta.ts, which imports nothing heavy. */
export interface RoleMeta {
  /** The command that runs it when that is not setup_<name> (the original cluster's configure_cluster). */
  command?: string
  name: string
  /** Options only this role's command takes, by flag name. */
  options?: Record<string, RoleOption>
  summary: string
}

/** A role folder's index.ts default export: its meta, and the roles its command runs one after another. */
export interface RoleModule extends RoleMeta {
  roles: Role[]
}
