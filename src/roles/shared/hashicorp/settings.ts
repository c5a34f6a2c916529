import path from 'node:path'

import type {Inventory, Vars} from '../../../inventory/model.js'

import {InvalidInputError} from '../../../core/errors.js'
import {derived, givenName, invalidVar, pathSetting, setting} from '../../vars.js'

export type Product = 'consul' | 'nomad' | 'vault'

/** Release zips from releases.hashicorp.com (verified against SHA256SUMS), or HashiCorp's apt repository. */
export type InstallMethod = 'apt' | 'release'

/** A setting that must be one of a few words; the first is the default. */
export function choice<T extends string>(vars: Vars, name: string, choices: readonly T[]): T {
  const value = setting(vars, name, choices[0]!)
  if (!choices.includes(value as T))
    throw new InvalidInputError(
      `${name} must be one of ${choices.join(', ')}, not '${value}' (${vars.inventory_hostname as string})`,
    )
  return value as T
}

export interface ProductInstall {
  /** Where the binary lives: /usr/local/bin for release zips, /usr/bin from the apt package. */
  binary: string
  method: InstallMethod
  product: Product
  version: string
}

/**
 * `<product>.version` and `<product>.install` (release | apt). The original's `<product>.executable_path` places a
 * release binary; the apt package's is always /usr/bin/<product>.
 */
export function productInstall(vars: Vars, product: Product, defaultVersion: string): ProductInstall {
  const method = choice<InstallMethod>(vars, `${product}.install`, ['release', 'apt'])
  const version = setting(vars, `${product}.version`, defaultVersion)
  if (!/^\d+\.\d+\.\d+([-+][\w.]+)?$/.test(version))
    throw new InvalidInputError(`${product}.version must look like 1.20.5, not '${version}'`)
  const apt = `/usr/bin/${product}`
  if (method === 'apt') derived(vars, `${product}.executable_path`, apt, `${product}.install apt installs it there`)
  const binary = pathSetting(vars, `${product}.executable_path`, method === 'apt' ? apt : `/usr/local/bin/${product}`)
  return {binary, method, product, version}
}

/** Where a HashiCorp agent keeps its configuration, data and certificates. */
export interface ProductPaths {
  certPath: string
  certsPath: string
  /** The main configuration file (the original's hcl_config_path). */
  configPath: string
  dataPath: string
  /** The environment file (the original's env_config_path). */
  envPath: string
  etcPath: string
  keyPath: string
  optPath: string
}

/**
 * A product's paths from goldentooth's names or the original's: etc_path (else the configuration file's directory),
 * config_path or hcl_config_path, env_path or env_config_path, opt_path, data_path, certs_path, cert_path, key_path.
 */
export function productPaths(
  vars: Vars,
  product: Product,
  defaults: {certsPath: string; dataPath: string},
): ProductPaths {
  const config = [`${product}.config_path`, `${product}.hcl_config_path`]
  const named = givenName(vars, config)
  const etcPath = pathSetting(
    vars,
    `${product}.etc_path`,
    named ? path.posix.dirname(pathSetting(vars, named, '/')) : `/etc/${product}.d`,
  )
  const certsPath = pathSetting(vars, `${product}.certs_path`, defaults.certsPath)
  return {
    certPath: pathSetting(vars, `${product}.cert_path`, `${certsPath}/tls.crt`),
    certsPath,
    configPath: pathSetting(vars, config, `${etcPath}/${product}.hcl`),
    dataPath: pathSetting(vars, `${product}.data_path`, defaults.dataPath),
    envPath: pathSetting(vars, [`${product}.env_path`, `${product}.env_config_path`], `${etcPath}/${product}.env`),
    etcPath,
    keyPath: pathSetting(vars, `${product}.key_path`, `${certsPath}/tls.key`),
    optPath: pathSetting(vars, `${product}.opt_path`, `/opt/${product}`),
  }
}

/** An agent that reads every .hcl file of its etc_path: its configuration file must be one of them. */
export function configInEtc(vars: Vars, product: Product, paths: ProductPaths): void {
  if (path.posix.dirname(paths.configPath) !== paths.etcPath || !paths.configPath.endsWith('.hcl')) {
    const name = givenName(vars, [`${product}.config_path`, `${product}.hcl_config_path`])!
    throw invalidVar(
      vars,
      `${name} must be a .hcl file in ${product}.etc_path (${paths.etcPath}), not ${paths.configPath}: ${product} reads the configuration in that directory`,
    )
  }
}

/** The original's maybe_leader: goldentooth always starts from the first host of the group. */
export function checkLeader(vars: Vars, product: Product, inventory: Inventory, group: string): void {
  const first = inventory.groupHosts(group)[0]
  if (first) derived(vars, `${product}.maybe_leader`, first, `goldentooth uses the first ${group} host`)
}

/** The original's role: server or client, from the host's groups. */
export function checkRole(vars: Vars, product: Product, server: boolean): void {
  derived(vars, `${product}.role`, server ? 'server' : 'client', `goldentooth takes it from the host's groups`)
}
