import type {Inventory, Vars} from '../inventory/model.js'

import {InvalidInputError} from '../core/errors.js'
import {SUITE_NAMES, type SuiteName} from './suite-names.js'

/** A certificate the inventory asks the certificates suite to watch on a host, besides those its renewers name. */
export interface DeclaredCertificate {
  name: string
  /** Where the certificate lives; default: what cert-renewer@<name> points at. */
  path?: string
}

/** Thresholds and choices the inventory sets per host (`health_*` variables), with their defaults. */
export interface HealthSettings {
  cpuPercentMax: number
  memoryPercentMax: number
  diskPercentMax: number
  loadPerCpuMax: number
  clockOffsetMaxSeconds: number
  /** A cert-renewer timer whose last run is older than this is not running. */
  renewerMaxAgeSeconds: number
  /** A certificate may sit inside its renewal window this long before the renewal counts as overdue. */
  renewalGraceSeconds: number
  /** The newest replicated ZFS snapshot may be this old (syncoid runs every 15 min with up to 1 min of delay). */
  zfsSnapshotMaxAgeSeconds: number
  /** Suites whose services this host does not run although its groups say so (the lab has no Consul binaries). */
  skipSuites: SuiteName[]
  certificates: DeclaredCertificate[]
}

export const DEFAULT_SETTINGS: HealthSettings = {
  certificates: [],
  clockOffsetMaxSeconds: 1,
  cpuPercentMax: 90,
  diskPercentMax: 85,
  loadPerCpuMax: 2,
  memoryPercentMax: 90,
  renewalGraceSeconds: 900,
  renewerMaxAgeSeconds: 900,
  skipSuites: [],
  zfsSnapshotMaxAgeSeconds: 2400,
}

const NUMBERS: Array<[keyof HealthSettings, string]> = [
  ['cpuPercentMax', 'health_cpu_percent_max'],
  ['memoryPercentMax', 'health_memory_percent_max'],
  ['diskPercentMax', 'health_disk_percent_max'],
  ['loadPerCpuMax', 'health_load_per_cpu_max'],
  ['clockOffsetMaxSeconds', 'health_clock_offset_max_seconds'],
  ['renewerMaxAgeSeconds', 'health_renewer_max_age_seconds'],
  ['renewalGraceSeconds', 'health_renewal_grace_seconds'],
  ['zfsSnapshotMaxAgeSeconds', 'health_zfs_snapshot_max_age_seconds'],
]

/** Every variable the health suites read, for `test list` and the docs. */
export const SETTING_VARIABLES = [...NUMBERS.map(([, name]) => name), 'health_skip_suites', 'health_certificates']

/** Read a host's health settings; a value of the wrong kind is an error at the variable's file:line:col (exit 3). */
export function healthSettings(inventory: Inventory, host: string, vars: Vars): HealthSettings {
  const invalid = (name: string, message: string, hint?: string) =>
    new InvalidInputError(`${name} ${message} (host ${host})`, inventory.varLocation(host, name), hint)
  const settings: HealthSettings = {...DEFAULT_SETTINGS}
  for (const [key, name] of NUMBERS) {
    const value = vars[name]
    if (value === undefined || value === null) continue
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw invalid(name, `must be a number of at least 0, not ${JSON.stringify(value)}`)
    }
    ;(settings as unknown as Record<string, number>)[key] = value
  }
  settings.skipSuites = skipSuites(vars.health_skip_suites, (message, hint) =>
    invalid('health_skip_suites', message, hint),
  )
  settings.certificates = declaredCertificates(vars.health_certificates, (message) =>
    invalid('health_certificates', message, 'give a list of {name: NAME, path: /path/to/cert.crt}'),
  )
  return settings
}

function skipSuites(value: unknown, invalid: (message: string, hint?: string) => Error): SuiteName[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) throw invalid('must be a list of suite names')
  return value.map((entry) => {
    if (typeof entry !== 'string' || !(SUITE_NAMES as readonly string[]).includes(entry)) {
      throw invalid(`names no suite: ${JSON.stringify(entry)}`, `suites: ${SUITE_NAMES.join(', ')}`)
    }
    return entry as SuiteName
  })
}

function declaredCertificates(value: unknown, invalid: (message: string) => Error): DeclaredCertificate[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) throw invalid('must be a list')
  return value.map((entry) => {
    const {name, path} = (entry ?? {}) as {name?: unknown; path?: unknown}
    if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(name)) {
      throw invalid(`needs a name of letters, digits, '.', '_' or '-', not ${JSON.stringify(name)}`)
    }
    if (path !== undefined && (typeof path !== 'string' || !path.startsWith('/'))) {
      throw invalid(`path of ${name} must be an absolute path`)
    }
    return path === undefined ? {name} : {name, path}
  })
}
