import type {Role} from '../engine/role.js'

/** A string option of one role's command (`setup_zfs --force-wipe /dev/sdb`); roles read it as context.options. */
export interface RoleOption {
  summary: string
}

/** Every role, as metadata only: a role's code is imported when its command runs (start-up stays fast). */
export interface RoleEntry {
  /** The command that runs it: setup_<name>, or the original cluster's name (configure_cluster). */
  command: string
  /** The role, or roles run one after another (a CA, then its clients). */
  load: () => Promise<Role[]>
  name: string
  /** Options only this role's command takes, by flag name. */
  options?: Record<string, RoleOption>
  summary: string
}

export const ROLES: RoleEntry[] = [
  {
    command: 'configure_cluster',
    load: async () => [(await import('./configure_cluster/index.js')).default],
    name: 'configure_cluster',
    summary:
      'Base OS for every node: hostname, /etc/hosts, time sync, kernel modules, sysctls, swap off, MOTD, root key.',
  },
]
