import type {Inventory, Vars} from '../../inventory/model.js'

import {InvalidInputError} from '../../core/errors.js'
import {stepCaSettings} from '../shared/pki/settings.js'
import {
  checkLeader,
  checkRole,
  configInEtc,
  productInstall,
  productPaths,
  type ProductInstall,
  type ProductPaths,
} from '../shared/hashicorp/settings.js'
import {derived, hostAddress, setting} from '../vars.js'

export const CONSUL_VERSION = '1.20.5'
export const SERVER_GROUP = 'consul_server'
export const CONSUL_GROUP = 'consul'
/** The ports consul.hcl gives the agent; the health suite, Vault's and Nomad's configs and the ACL calls use them. */
export const CONSUL_PORTS = {grpc: 8502, grpcTls: 8503, http: 8500, https: 8501, serfLan: 8301, server: 8300} as const

/** The inventory's `consul` dict with the original cluster's defaults; Consul's data directory is opt_path. */
export interface ConsulSettings extends ProductPaths {
  /** The cluster root every agent trusts (step-ca's, installed by setup_step_ca). */
  caFile: string
  certLifetime: string
  datacenter: string
  domain: string
  install: ProductInstall
}

export function consulSettings(inventory: Inventory, vars: Vars): ConsulSettings {
  const name = (value: string, key: string) => {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(value))
      throw new InvalidInputError(`consul.${key} must be a DNS label such as dc1, not '${value}'`)
    return value
  }
  const paths = productPaths(vars, 'consul', {certsPath: '/etc/consul.d/certs', dataPath: '/opt/consul'})
  configInEtc(vars, 'consul', paths)
  checkLeader(vars, 'consul', inventory, SERVER_GROUP)
  checkRole(vars, 'consul', inventory.groupHosts(SERVER_GROUP).includes(vars.inventory_hostname as string))
  derived(
    vars,
    'consul.acl_bootstrap_reset_path',
    `${paths.optPath}/acl-bootstrap-reset`,
    'Consul reads it in its data directory (consul.opt_path)',
  )
  return {
    ...paths,
    caFile: stepCaSettings(inventory, vars).rootCertPath,
    certLifetime: setting(vars, 'consul.cert_lifetime', '24h'),
    datacenter: name(setting(vars, 'consul.datacenter', 'dc1'), 'datacenter'),
    domain: name(setting(vars, 'consul.domain', 'consul'), 'domain'),
    install: productInstall(vars, 'consul', CONSUL_VERSION),
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
