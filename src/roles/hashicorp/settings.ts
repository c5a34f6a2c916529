import type {Inventory, Vars} from '../../inventory/model.js'

import {InvalidInputError} from '../../cli/errors.js'
import {setting} from '../vars.js'

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

/** `<product>.version` and `<product>.install` (release | apt). */
export function productInstall(vars: Vars, product: Product, defaultVersion: string): ProductInstall {
  const method = choice<InstallMethod>(vars, `${product}.install`, ['release', 'apt'])
  const version = setting(vars, `${product}.version`, defaultVersion)
  if (!/^\d+\.\d+\.\d+([-+][\w.]+)?$/.test(version))
    throw new InvalidInputError(`${product}.version must look like 1.20.5, not '${version}'`)
  return {binary: `${method === 'apt' ? '/usr/bin' : '/usr/local/bin'}/${product}`, method, product, version}
}
