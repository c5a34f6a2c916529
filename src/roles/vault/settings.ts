import type {Inventory, Vars} from '../../inventory/model.js'

import {InvalidInputError} from '../../core/errors.js'
import {
  checkLeader,
  choice,
  productInstall,
  productPaths,
  type ProductInstall,
  type ProductPaths,
} from '../shared/hashicorp/settings.js'
import {stepCaSettings} from '../shared/pki/settings.js'
import {clusterName, pathSetting, setting, settingOf} from '../vars.js'

export const VAULT_VERSION = '1.19.0'
export const VAULT_GROUP = 'vault'
/** The API and cluster ports vault.hcl listens on, which the suite, vault init/unseal and Nomad's config use. */
export const VAULT_PORTS = {api: 8200, cluster: 8201} as const

export type VaultStorage = 'consul' | 'raft'

/** AWS KMS auto-unseal, when the inventory gives the key and the credentials (in an Ansible Vault file). */
export interface KmsSeal {
  accessKeyId: string
  kmsKeyId: string
  region: string
  secretAccessKey: string
}

/** The inventory's `vault` dict with the original cluster's defaults; Raft keeps its data in data_path. */
export interface VaultSettings extends ProductPaths {
  caFile: string
  certLifetime: string
  clusterName: string
  /** Consul KV prefix of the consul storage. */
  consulPath: string
  /** The Consul ACL policy of the consul storage's token. */
  consulPolicy: string
  install: ProductInstall
  seal: KmsSeal | undefined
  storage: VaultStorage
}

const ACCESS_KEY = ['vault_aws_access_key_id', 'vault.aws.access_key_id']
const SECRET_KEY = ['vault_aws_secret_access_key', 'vault.aws.secret_access_key']

function kmsSeal(vars: Vars): KmsSeal | undefined {
  const accessKeyId = settingOf(vars, ACCESS_KEY, '')
  const secretAccessKey = settingOf(vars, SECRET_KEY, '')
  const kmsKeyId = setting(vars, 'vault.seal_kms_key_alias', '')
  if (accessKeyId === '' && secretAccessKey === '') return undefined
  if (accessKeyId === '' || secretAccessKey === '' || kmsKeyId === '')
    throw new InvalidInputError(
      "AWS KMS auto-unseal needs vault_aws_access_key_id, vault_aws_secret_access_key (or the original's " +
        'vault.aws.access_key_id and vault.aws.secret_access_key) and vault.seal_kms_key_alias together ' +
        `(${vars.inventory_hostname as string})`,
    )
  const region = settingOf(vars, ['vault.aws_region', 'vault.aws.region'], 'us-east-1')
  return {accessKeyId, kmsKeyId, region, secretAccessKey}
}

function policyName(name: string, vars: Vars): string {
  if (!/^[\w-]{1,128}$/.test(name))
    throw new InvalidInputError(
      `vault.consul.policy_name must be a Consul policy name (letters, digits, '-', '_'), not '${name}' (${vars.inventory_hostname as string})`,
    )
  return name
}

export function vaultSettings(inventory: Inventory, vars: Vars): VaultSettings {
  const consulPath = setting(vars, 'vault.consul_path', 'vault/')
  if (!/^[\w.-]+\/$/.test(consulPath))
    throw new InvalidInputError(
      `vault.consul_path must be a KV prefix ending in /, such as vault/, not '${consulPath}'`,
    )
  checkLeader(vars, 'vault', inventory, VAULT_GROUP)
  return {
    ...productPaths(vars, 'vault', {
      certsPath: '/opt/vault/tls',
      dataPath: pathSetting(vars, 'vault.raft_path', '/opt/vault/data'),
    }),
    caFile: stepCaSettings(inventory, vars).rootCertPath,
    certLifetime: setting(vars, 'vault.cert_lifetime', '24h'),
    clusterName: setting(vars, 'vault.cluster_name', clusterName(vars)),
    consulPath,
    consulPolicy: policyName(setting(vars, 'vault.consul.policy_name', 'vault-storage'), vars),
    install: productInstall(vars, 'vault', VAULT_VERSION),
    seal: kmsSeal(vars),
    storage: choice<VaultStorage>(vars, 'vault.storage', ['consul', 'raft']),
  }
}
