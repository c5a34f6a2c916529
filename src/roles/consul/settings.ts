import type {Inventory, Vars} from '../../inventory/model.js'

import {InvalidInputError} from '../../cli/errors.js'
import {stepCaSettings} from '../pki/settings.js'
import {productInstall, type ProductInstall} from '../hashicorp/settings.js'
import {hostAddress, setting} from '../vars.js'

export const CONSUL_VERSION = '1.20.5'
export const SERVER_GROUP = 'consul_server'
export const CONSUL_GROUP = 'consul'

/** The inventory's `consul` dict with the original cluster's defaults. */
export interface ConsulSettings {
  /** The cluster root every agent trusts (step-ca's, installed by setup_step_ca). */
  caFile: string
  certLifetime: string
  certsPath: string
  datacenter: string
  domain: string
  etcPath: string
  install: ProductInstall
  optPath: string
}

export function consulSettings(inventory: Inventory, vars: Vars): ConsulSettings {
  const name = (value: string, key: string) => {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(value))
      throw new InvalidInputError(`consul.${key} must be a DNS label such as dc1, not '${value}'`)
    return value
  }
  return {
    caFile: stepCaSettings(inventory, vars).rootCertPath,
    certLifetime: setting(vars, 'consul.cert_lifetime', '24h'),
    certsPath: setting(vars, 'consul.certs_path', '/etc/consul.d/certs'),
    datacenter: name(setting(vars, 'consul.datacenter', 'dc1'), 'datacenter'),
    domain: name(setting(vars, 'consul.domain', 'consul'), 'domain'),
    etcPath: setting(vars, 'consul.etc_path', '/etc/consul.d'),
    install: productInstall(vars, 'consul', CONSUL_VERSION),
    optPath: setting(vars, 'consul.opt_path', '/opt/consul'),
  }
}

/** A host's cluster address; every Consul, Vault and Nomad agent binds to it. */
export function requireAddress(inventory: Inventory, host: string): string {
  const address = hostAddress(inventory.hostVars(host))
  if (!address)
    throw new InvalidInputError(`${host} has no ipv4_address or ansible_host: the HashiCorp agents bind to it`)
  return address
}

/** The addresses clients and servers join: every Consul server's. */
export function serverAddresses(inventory: Inventory): string[] {
  return inventory.groupHosts(SERVER_GROUP).map((host) => requireAddress(inventory, host))
}
