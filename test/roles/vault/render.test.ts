import {cpSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Inventory} from '../../../src/inventory/model.js'

import {renderRole} from '../../../src/engine/render.js'
import {loadInventory} from '../../../src/inventory/load.js'
import vaultModule from '../../../src/roles/vault/index.js'
import {storageToken} from '../../../src/roles/vault/role.js'
import {expectGoldens} from '../golden.js'
import {fileOf, hclOf, plan, SECRETS} from '../shared/hashicorp/plan.js'

const operator = {publicKeys: []}
const {roles} = vaultModule
const [acl, vault] = roles as [(typeof roles)[0], (typeof roles)[0]]
const seed = SECRETS['consul-acl-seed']!

let scratch: string

/** The lab inventory with extra group variables. */
async function labWith(name: string, yaml: string): Promise<Inventory> {
  const dir = path.join(scratch, name)
  cpSync('inventory/lab', dir, {recursive: true})
  writeFileSync(path.join(dir, 'group_vars/all.yaml'), `\n${yaml}`, {flag: 'a'})
  return loadInventory(dir)
}

beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'gt-vault-render-'))
})
afterAll(() => rmSync(scratch, {force: true, recursive: true}))

describe('setup_vault renders', () => {
  it('a server of the real cluster and of the lab (goldens), and the storage token step', async () => {
    const inventory = await loadInventory('inventory')
    await expectGoldens('vault', renderRole(vault, inventory, ['erenford'], {operator, stateDir: '/nonexistent'}))
    const [step] = renderRole(acl, inventory, ['erenford'], {operator, stateDir: '/nonexistent'})
    expect(step!.plan).toEqual(['command:consul acl policy vault-storage', 'command:consul acl token vault storage'])
    await expectGoldens('vault_consul_acl', [step!])
    const lab = await loadInventory('inventory/lab')
    await expectGoldens('vault', renderRole(vault, lab, ['lab1'], {operator, stateDir: '/nonexistent'}))
  })

  it("vault.hcl as Vault's parser reads it: TLS listener on the node address with step-ca files", async () => {
    const inventory = await loadInventory('inventory')
    const config = await hclOf(plan(vault, inventory, 'fenn').resources, '/etc/vault.d/vault.hcl')
    expect(config).toMatchObject({
      api_addr: 'https://10.4.0.15:8200',
      cluster_addr: 'https://10.4.0.15:8201',
      cluster_name: 'goldentooth',
      listener: {
        tcp: [
          {
            address: '10.4.0.15:8200',
            tls_cert_file: '/opt/vault/tls/tls.crt',
            tls_client_ca_file: '/etc/ssl/certs/goldentooth.pem',
            tls_key_file: '/opt/vault/tls/tls.key',
          },
        ],
      },
      telemetry: [{num_lease_metrics_buckets: 168, prometheus_retention_time: '24h'}],
      ui: true,
    })
    expect(config.seal).toBeUndefined()
  })

  it("Consul storage: the local agent and Vault's own least-privilege token, in a secret 0640 root:vault file", async () => {
    const inventory = await loadInventory('inventory')
    const {resources} = plan(vault, inventory, 'erenford')
    expect(fileOf(resources, '/etc/vault.d/storage.hcl')).toMatchObject({group: 'vault', mode: 0o640, secret: true})
    expect(await hclOf(resources, '/etc/vault.d/storage.hcl')).toEqual({
      storage: {
        consul: [
          {
            address: '127.0.0.1:8500',
            check_timeout: '5s',
            consistency_mode: 'strong',
            path: 'vault/',
            scheme: 'http',
            token: storageToken(seed, 'vault-storage').secretId,
          },
        ],
      },
    })
  })

  it('Raft storage: one retry_join per other server, node_id, and its data directory', async () => {
    const inventory = await labWith('raft', 'vault:\n  storage: raft\n')
    const {resources} = plan(vault, inventory, 'lab2')
    expect(fileOf(resources, '/etc/vault.d/storage.hcl').secret).toBe(false)
    const storage = (await hclOf(resources, '/etc/vault.d/storage.hcl')) as {
      storage: {raft: Array<Record<string, unknown>>}
    }
    expect(storage.storage.raft[0]).toMatchObject({node_id: 'lab2', path: '/opt/vault/data'})
    expect(
      (storage.storage.raft[0]!.retry_join as Array<{leader_api_addr: string}>).map((j) => j.leader_api_addr),
    ).toEqual(['https://10.77.0.11:8200', 'https://10.77.0.13:8200'])
    expect(resources).toContainEqual(expect.objectContaining({kind: 'directory', mode: 0o700, path: '/opt/vault/data'}))
    expect(renderRole(acl, inventory, ['lab1'], {operator, stateDir: '/nonexistent'})[0]!.plan).toEqual([])
  })

  it('AWS KMS auto-unseal when the inventory gives key and credentials: seal block, credentials only in vault.env 0600', async () => {
    const inventory = await labWith(
      'kms',
      'vault_aws_access_key_id: AKIAEXAMPLE\nvault_aws_secret_access_key: wJalrXUtnFEMIexample\n' +
        'vault:\n  seal_kms_key_alias: alias/goldentooth/vault-seal\n',
    )
    const {resources} = plan(vault, inventory, 'lab1')
    expect(await hclOf(resources, '/etc/vault.d/vault.hcl')).toMatchObject({
      seal: {awskms: [{kms_key_id: 'alias/goldentooth/vault-seal', region: 'us-east-1'}]},
    })
    const env = fileOf(resources, '/etc/vault.d/vault.env')
    expect(env).toMatchObject({mode: 0o600, owner: 'root', secret: true})
    expect(env.content.toString()).toContain('AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIexample\n')
    expect(fileOf(resources, '/etc/vault.d/vault.hcl').content.toString()).not.toContain('wJalrXUtnFEMIexample')
    const half = await labWith('half', 'vault_aws_access_key_id: AKIAEXAMPLE\n')
    expect(() => plan(vault, half, 'lab1')).toThrow(/needs vault_aws_access_key_id, vault_aws_secret_access_key/)
  })

  it('the unit: upstream hardening plus the seed’s capabilities', async () => {
    const inventory = await loadInventory('inventory')
    const unit = fileOf(
      plan(vault, inventory, 'erenford').resources,
      '/etc/systemd/system/vault.service',
    ).content.toString()
    for (const line of [
      'LimitCORE=0',
      'ProtectSystem=full',
      'ProtectHome=read-only',
      'PrivateTmp=yes',
      'PrivateDevices=yes',
      'NoNewPrivileges=yes',
      'SecureBits=keep-caps',
      'AmbientCapabilities=CAP_IPC_LOCK',
      'CapabilityBoundingSet=CAP_SYSLOG CAP_IPC_LOCK',
      'User=vault',
      'EnvironmentFile=/etc/vault.d/vault.env',
      'After=consul.service',
    ])
      expect(unit.split('\n')).toContain(line)
  })
})
