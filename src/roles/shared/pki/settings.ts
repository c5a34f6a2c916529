import type {Inventory, Vars} from '../../../inventory/model.js'
import type {RenewalTimer} from './renewal.js'

import {InvalidInputError} from '../../../core/errors.js'
import {clusterName, derived, hostAddress, lookup, settingOf} from '../../vars.js'
import {parseDuration} from './renewal.js'

/** release: Smallstep's release tarballs; apt: the Smallstep Debian repository; none: the binaries are already there. */
export type InstallMethod = 'apt' | 'none' | 'release'

export interface AptSource {
  component: string
  keyringSha256: string | undefined
  keyringUrl: string
  suite: string
  uri: string
}

/** The cluster PKI as the inventory's `step_ca` dict describes it, with the original cluster's defaults. */
export interface StepCaSettings {
  apt: AptSource
  /** Where step and step-ca are: /usr/local/bin for release tarballs, /usr/bin from the Debian packages. */
  binDir: string
  /** The first host of the step_ca group: the one that holds the CA. */
  caHost: string | undefined
  /** The CA's name (`step ca init --name`): step_ca.ca.name, else the cluster's name. */
  caName: string
  /** The names the CA's own certificate answers to (step_ca.ca.sans); goldentooth's own list when unset. */
  caSans: string[] | undefined
  /** https://<CA address>:<port> */
  caUrl: string
  /** Where step-ca listens (`step ca init --address`): step_ca.ca.bind_address, else every address at the port. */
  bindAddress: string
  /** /etc/step-ca: the CA's STEPPATH (config, certs, secrets, db). */
  etcPath: string
  install: InstallMethod
  /** The CA's maximum TLS certificate duration (authority.claims.maxTLSCertDuration). */
  maxTlsCertSeconds: number
  maxTlsCertDuration: string
  /** The root key's password is never kept on the CA: it is there only in a temporary file while `step ca init` runs. */
  passwordPaths: {intermediate: string; jwkProvisioner: string}
  port: number
  provisioner: {name: string; passwordPath: string}
  renewalTimer: RenewalTimer & {onCalendar: string}
  /** Where clients find the root: /etc/ssl/certs/goldentooth.pem (made by update-ca-certificates). */
  rootCertPath: string
  /** Where the root is put for update-ca-certificates. */
  sharedCertPath: string
  stepBinary: string
  stepCaBinary: string
  /** The clients' STEPPATH (/root/.step): the bootstrapped CA URL, fingerprint and root. */
  steppath: string
  user: string
  version: {ca: string; cli: string}
}

type Dict = Record<string, unknown>

const PASSWORDS = 'step_ca.ca.password_paths'
const ORIGINAL_PASSWORDS = 'step_ca.ca.password_file_paths'

function where(host: string | undefined): string {
  return host ? ` (${host})` : ''
}

function dict(value: unknown, name: string, host?: string): Dict {
  if (value === undefined || value === null) return {}
  if (typeof value !== 'object' || Array.isArray(value))
    throw new InvalidInputError(`${name} must be a mapping${where(host)}`)
  return value as Dict
}

function text(source: Dict, key: string, fallback: string, name: string, host?: string): string {
  const value = source[key]
  if (value === undefined || value === null) return fallback
  if (typeof value === 'number') return String(value)
  if (typeof value !== 'string' || value === '')
    throw new InvalidInputError(`${name}.${key} must be a non-empty string${where(host)}`)
  return value
}

function duration(source: Dict, key: string, fallback: string, name: string, host?: string): number {
  const value = text(source, key, fallback, name, host)
  const seconds = parseDuration(value)
  if (seconds === undefined)
    throw new InvalidInputError(`${name}.${key} must be a duration such as 24h or 90s, not ${value}${where(host)}`)
  return seconds
}

/** The CA's own copy of its root certificate, under its STEPPATH. */
export function rootCertificatePath(settings: Pick<StepCaSettings, 'etcPath'>): string {
  return `${settings.etcPath}/certs/root_ca.crt`
}

/** The original's step_ca.ca.bind_address (`<address>:<port>`), split. */
function bindAddressOf(ca: Dict, host?: string): {address: string; port: string} | undefined {
  const value = ca.bind_address
  if (value === undefined || value === null) return undefined
  const match = typeof value === 'string' ? /^(.*):(\d+)$/.exec(value) : null
  if (!match)
    throw new InvalidInputError(`step_ca.ca.bind_address must be <address>:<port>, such as :9443${where(host)}`)
  return {address: match[1]!, port: match[2]!}
}

function sans(ca: Dict, host?: string): string[] | undefined {
  const value = ca.sans
  if (value === undefined || value === null) return undefined
  const list = typeof value === 'string' ? value.split(',') : value
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((name) => typeof name === 'string' && name.trim() !== '')
  )
    throw new InvalidInputError(`step_ca.ca.sans must be names separated by commas, or a list${where(host)}`)
  return list.map((name: string) => name.trim())
}

/** The original's step_ca paths goldentooth derives (step-ca keeps everything under STEPPATH): checked, not used. */
function checkDerived(vars: Vars, settings: StepCaSettings): void {
  const etc = settings.etcPath
  const reason = `step-ca keeps it under STEPPATH (step_ca.ca.etc_path, ${etc})`
  derived(vars, 'step_ca.ca.config_path', `${etc}/config`, reason)
  derived(vars, 'step_ca.ca.ca_config_file_path', `${etc}/config/ca.json`, reason)
  derived(vars, 'step_ca.ca.defaults_config_file_path', `${etc}/config/defaults.json`, reason)
  derived(vars, 'step_ca.ca.root_cert_path', rootCertificatePath(settings), reason)
  if (settings.caHost) derived(vars, 'step_ca.server', settings.caHost, 'the CA is the first host of the step_ca group')
  for (const [name, tool] of [
    ['step_ca.executable', 'step'],
    ['step_ca.ca.executable', 'step-ca'],
  ] as const) {
    const value = lookup(vars, name)
    if (value !== undefined && value !== tool)
      derived(vars, name, `${settings.binDir}/${tool}`, `step_ca.install ${settings.install} puts it there`)
  }
}

/** The step_ca settings as one host sees them. */
export function stepCaSettings(inventory: Inventory, vars: Vars): StepCaSettings {
  const settings = readStepCaSettings(inventory, vars)
  checkDerived(vars, settings)
  return settings
}

function readStepCaSettings(inventory: Inventory, vars: Vars): StepCaSettings {
  const host = typeof vars.inventory_hostname === 'string' ? vars.inventory_hostname : undefined
  const raw = dict(vars.step_ca, 'step_ca', host)
  const ca = dict(raw.ca, 'step_ca.ca', host)
  const passwords = dict(ca.password_paths, 'step_ca.ca.password_paths', host)
  const originalPasswords = dict(ca.password_file_paths, ORIGINAL_PASSWORDS, host)
  const password = (own: string, original: string, fallback: string) =>
    text(passwords, own, text(originalPasswords, original, fallback, ORIGINAL_PASSWORDS, host), PASSWORDS, host)
  const provisioner = dict(raw.default_provisioner, 'step_ca.default_provisioner', host)
  const renewal = dict(raw.renewal, 'step_ca.renewal', host)
  const etcPath = text(ca, 'etc_path', '/etc/step-ca', 'step_ca.ca', host)
  const bind = bindAddressOf(ca, host)
  const port = Number(text(raw, 'port', bind?.port ?? '9443', 'step_ca', host))
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new InvalidInputError(`step_ca.port must be a port number${where(host)}`)
  const cluster = clusterName(vars)
  const install = text(raw, 'install', 'release', 'step_ca', host)
  if (install !== 'release' && install !== 'apt' && install !== 'none')
    throw new InvalidInputError(`step_ca.install must be release, apt or none, not ${install}${where(host)}`)
  const apt = dict(raw.apt, 'step_ca.apt', host)
  const intervalMinutes = Number(text(renewal, 'interval_minutes', '5', 'step_ca.renewal', host))
  if (!Number.isInteger(intervalMinutes) || intervalMinutes < 1 || 60 % intervalMinutes !== 0)
    throw new InvalidInputError(`step_ca.renewal.interval_minutes must divide an hour (1-60)${where(host)}`)
  const caHost = inventory.groupHosts('step_ca')[0]
  const caAddress = caHost === undefined ? undefined : (hostAddress(inventory.hostVars(caHost)) ?? caHost)
  const binDir = text(raw, 'bin_dir', install === 'apt' ? '/usr/bin' : '/usr/local/bin', 'step_ca', host)
  const maxTlsCertDuration = text(raw, 'max_tls_cert_duration', '168h', 'step_ca', host)
  return {
    apt: {
      component: text(apt, 'component', 'main', 'step_ca.apt', host),
      keyringSha256: typeof apt.keyring_sha256 === 'string' ? apt.keyring_sha256 : undefined,
      keyringUrl: text(
        apt,
        'keyring_url',
        'https://packages.smallstep.com/keys/apt/repo-signing-key.gpg',
        'step_ca.apt',
        host,
      ),
      suite: text(apt, 'suite', 'debs', 'step_ca.apt', host),
      uri: text(apt, 'uri', 'https://packages.smallstep.com/stable/debian', 'step_ca.apt', host),
    },
    bindAddress: `${bind?.address ?? ''}:${port}`,
    binDir,
    caHost,
    caName: text(ca, 'name', cluster, 'step_ca.ca', host),
    caSans: sans(ca, host),
    caUrl: `https://${caAddress ?? 'step-ca'}:${port}`,
    etcPath,
    install: install as InstallMethod,
    maxTlsCertDuration,
    maxTlsCertSeconds: duration(raw, 'max_tls_cert_duration', '168h', 'step_ca', host),
    passwordPaths: {
      intermediate: password('intermediate', 'intermediate', `${etcPath}/.password_intermediate.txt`),
      jwkProvisioner: password('jwk_provisioner', 'default_provisioner', `${etcPath}/.password_jwk_provisioner.txt`),
    },
    port,
    provisioner: {
      name: text(provisioner, 'name', 'default', 'step_ca.default_provisioner', host),
      passwordPath: text(
        provisioner,
        'password_path',
        '/root/.step/jwk_provisioner_password.txt',
        'step_ca.default_provisioner',
        host,
      ),
    },
    renewalTimer: {
      intervalSeconds: intervalMinutes * 60,
      jitterSeconds: duration(renewal, 'randomized_delay', '1m', 'step_ca.renewal', host),
      onCalendar: `*:1/${intervalMinutes}`,
    },
    rootCertPath: text(
      raw,
      'root_cert_path',
      settingOf(vars, ['ca_cert_path', 'cluster.ca_cert_path'], `/etc/ssl/certs/${cluster}.pem`),
      'step_ca',
      host,
    ),
    sharedCertPath: text(raw, 'shared_cert_path', `/usr/local/share/ca-certificates/${cluster}.crt`, 'step_ca', host),
    stepBinary: `${binDir}/step`,
    stepCaBinary: `${binDir}/step-ca`,
    steppath: text(raw, 'steppath', '/root/.step', 'step_ca', host),
    user: text(raw, 'user', text(ca, 'user', 'step', 'step_ca.ca', host), 'step_ca', host),
    version: {
      ca: text(raw, 'version', '0.28.1', 'step_ca', host),
      cli: text(raw, 'cli_version', '0.28.2', 'step_ca', host),
    },
  }
}
