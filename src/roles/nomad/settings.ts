import path from 'node:path'

import type {Inventory, Vars} from '../../inventory/model.js'

import {productInstall, type ProductInstall} from '../hashicorp/settings.js'
import {stepCaSettings} from '../pki/settings.js'
import {setting} from '../vars.js'

export const NOMAD_VERSION = '1.9.7'
export const DEVICE_NVIDIA_VERSION = '1.1.0'
export const NOMAD_SERVER_GROUP = 'nomad_server'
export const NOMAD_CLIENT_GROUP = 'nomad_client'

/** The inventory's `nomad` dict with the original cluster's defaults. */
export interface NomadSettings {
  caFile: string
  certLifetime: string
  certsPath: string
  dataPath: string
  datacenter: string
  deviceNvidiaVersion: string
  etcPath: string
  install: ProductInstall
  pluginDir: string
  region: string
}

export function nomadSettings(inventory: Inventory, vars: Vars): NomadSettings {
  return {
    caFile: stepCaSettings(inventory, vars).rootCertPath,
    certLifetime: setting(vars, 'nomad.cert_lifetime', '24h'),
    certsPath: setting(vars, 'nomad.certs_path', '/opt/nomad/certs'),
    dataPath: setting(vars, 'nomad.data_path', '/opt/nomad/data'),
    datacenter: setting(vars, 'nomad.datacenter', 'dc1'),
    deviceNvidiaVersion: setting(vars, 'nomad.device_nvidia_version', DEVICE_NVIDIA_VERSION),
    etcPath: path.posix.dirname(setting(vars, 'nomad.config_path', '/etc/nomad.d/nomad.hcl')),
    install: productInstall(vars, 'nomad', NOMAD_VERSION),
    pluginDir: setting(vars, 'nomad.plugin_dir', '/opt/nomad/plugins'),
    region: setting(vars, 'nomad.region', 'global'),
  }
}
