import type {HostContext} from './model.js'

function nested(context: HostContext, path: readonly string[]): unknown {
  let value: unknown = context.vars
  for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key]
  return value
}

/** An inventory value such as `step_ca.port`, or the role's default when the inventory has none of that kind. */
export function varString(context: HostContext, path: readonly string[], fallback: string): string {
  const value = nested(context, path)
  return typeof value === 'string' && value !== '' ? value : fallback
}

export function varNumber(context: HostContext, path: readonly string[], fallback: number): number {
  const value = nested(context, path)
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback
}

export function varRecord(context: HostContext, path: readonly string[]): Record<string, unknown> {
  const value = nested(context, path)
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

/** The cluster CA's root certificate on every node (`ca_cert_path`). */
export function rootCertificatePath(context: HostContext): string {
  return varString(context, ['ca_cert_path'], '/etc/ssl/certs/goldentooth.pem')
}

/** The first selected host of a group in inventory order is its primary (the ZFS snapshot source, Slurm's primary). */
export function isFirstOf(context: HostContext, group: string): boolean {
  return context.inventory.groupHosts(group)[0] === context.host
}
