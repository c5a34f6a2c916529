import type {Inventory, Vars} from '../../inventory/model.js'

import {gpuGroupsOf} from '../gpu/profile.js'
import {
  checkLeader,
  checkRole,
  configInEtc,
  productInstall,
  productPaths,
  type ProductInstall,
  type ProductPaths,
} from '../shared/hashicorp/settings.js'
import {stepCaSettings} from '../shared/pki/settings.js'
import {derived, given, invalidVar, pathSetting, setting} from '../vars.js'

export const NOMAD_VERSION = '1.9.7'
export const DEVICE_NVIDIA_VERSION = '1.1.0'
export const NOMAD_SERVER_GROUP = 'nomad_server'
export const NOMAD_CLIENT_GROUP = 'nomad_client'
/** Nomad's default ports, which nomad.hcl leaves as they are: the role's client config and the suite use them. */
export const NOMAD_PORTS = {http: 4646, rpc: 4647, serf: 4648} as const

/** The inventory's `nomad` dict with the original cluster's defaults. */
export interface NomadSettings extends ProductPaths {
  caFile: string
  certLifetime: string
  datacenter: string
  deviceNvidiaVersion: string
  install: ProductInstall
  pluginDir: string
  region: string
}

/** What the original derived per host and goldentooth derives the same way: checked against the host's groups. */
function checkDerived(inventory: Inventory, vars: Vars): void {
  const host = vars.inventory_hostname as string
  const server = inventory.groupHosts(NOMAD_SERVER_GROUP).includes(host)
  checkLeader(vars, 'nomad', inventory, NOMAD_SERVER_GROUP)
  checkRole(vars, 'nomad', server)
  const user = server ? 'nomad' : 'root'
  derived(vars, 'nomad.service_user', user, 'Nomad servers run as nomad, clients as root')
  derived(vars, 'nomad.service_group', user, 'Nomad servers run as nomad, clients as root')
  if (given(vars, 'nomad.is_consul_enabled') && setting(vars, 'nomad.is_consul_enabled', true) !== true)
    throw invalidVar(
      vars,
      'nomad.is_consul_enabled must be true: goldentooth always joins Nomad to the local Consul agent',
    )
  const gpu = gpuGroupsOf(inventory, host).length > 0 ? 'gpu' : 'default'
  derived(vars, 'nomad.client.node_class', gpu, 'goldentooth gives node_class "gpu" to hosts in a *_gpu group')
}

export function nomadSettings(inventory: Inventory, vars: Vars): NomadSettings {
  const paths = productPaths(vars, 'nomad', {certsPath: '/opt/nomad/certs', dataPath: '/opt/nomad/data'})
  configInEtc(vars, 'nomad', paths)
  checkDerived(inventory, vars)
  return {
    ...paths,
    caFile: stepCaSettings(inventory, vars).rootCertPath,
    certLifetime: setting(vars, 'nomad.cert_lifetime', '24h'),
    datacenter: setting(vars, 'nomad.datacenter', 'dc1'),
    deviceNvidiaVersion: setting(vars, 'nomad.device_nvidia_version', DEVICE_NVIDIA_VERSION),
    install: productInstall(vars, 'nomad', NOMAD_VERSION),
    pluginDir: pathSetting(vars, 'nomad.plugin_dir', `${paths.optPath}/plugins`),
    region: setting(vars, 'nomad.region', 'global'),
  }
}
