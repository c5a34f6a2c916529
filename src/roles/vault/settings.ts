import path from 'node:path'

import type {Inventory, Vars} from '../../inventory/model.js'

import {InvalidInputError} from '../../cli/errors.js'
import {choice, productInstall, type ProductInstall} from '../hashicorp/settings.js'
import {stepCaSettings} from '../pki/settings.js'
import {setting} from '../vars.js'

export const VAULT_VERSION = '1.19.0'
export const VAULT_GROUP = 'vault'

export type VaultStorage = 'consul' | 'raft'

/** AWS KMS auto-unseal, when the inventory gives the key and the credentials (in an Ansible Vault file). */
export interface KmsSeal {
  accessKeyId: string
  kmsKeyId: string
  region: string
  secretAccessKey: string
}

/** The inventory's `vault` dict with the original cluster's defaults. */
export interface VaultSettings {
  caFile: string
  certLifetime: string
  certsPath: string
  clusterName: string
  /** Consul KV prefix of the consul storage. */
  consulPath: string
  dataPath: string
  etcPath: string
  install: ProductInstall
  seal: KmsSeal | undefined
  storage: VaultStorage
}

function kmsSeal(vars: Vars): KmsSeal | undefined {
  const accessKeyId = setting(vars, 'vault_aws_access_key_id', '')
  const secretAccessKey = setting(vars, 'vault_aws_secret_access_key', '')
  const kmsKeyId = setting(vars, 'vault.seal_kms_key_alias', '')
  if (accessKeyId === '' && secretAccessKey === '') return undefined
  if (accessKeyId === '' || secretAccessKey === '' || kmsKeyId === '')
    throw new InvalidInputError(
      'AWS KMS auto-unseal needs vault_aws_access_key_id, vault_aws_secret_access_key and vault.seal_kms_key_alias ' +
        `together (${vars.inventory_hostname as string})`,
    )
  return {accessKeyId, kmsKeyId, region: setting(vars, 'vault.aws_region', 'us-east-1'), secretAccessKey}
}

export function vaultSettings(inventory: Inventory, vars: Vars): VaultSettings {
  const consulPath = setting(vars, 'vault.consul_path', 'vault/')
  if (!/^[\w.-]+\/$/.test(consulPath))
    throw new InvalidInputError(
      `vault.consul_path must be a KV prefix ending in /, such as vault/, not '${consulPath}'`,
    )
  return {
    caFile: stepCaSettings(inventory, vars).rootCertPath,
    certLifetime: setting(vars, 'vault.cert_lifetime', '24h'),
    certsPath: setting(vars, 'vault.certs_path', '/opt/vault/tls'),
    clusterName: setting(vars, 'cluster_name', 'goldentooth'),
    consulPath,
    dataPath: setting(vars, 'vault.data_path', '/opt/vault/data'),
    etcPath: path.posix.dirname(setting(vars, 'vault.config_path', '/etc/vault.d/vault.hcl')),
    install: productInstall(vars, 'vault', VAULT_VERSION),
    seal: kmsSeal(vars),
    storage: choice<VaultStorage>(vars, 'vault.storage', ['consul', 'raft']),
  }
}
