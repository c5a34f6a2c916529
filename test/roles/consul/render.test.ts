import {describe, expect, it} from 'vitest'

import {renderRole} from '../../../src/engine/render.js'
import {loadInventory} from '../../../src/inventory/load.js'
import consulModule from '../../../src/roles/consul/index.js'
import {agentToken, dnsToken} from '../../../src/roles/consul/tokens.js'
import {expectGoldens} from '../golden.js'
import {fileOf, hclOf, plan, SECRETS} from '../shared/hashicorp/plan.js'

const operator = {publicKeys: []}
const {roles} = consulModule
const [servers, acl, clients] = roles as [(typeof roles)[0], (typeof roles)[0], (typeof roles)[0]]
const seed = SECRETS['consul-acl-seed']!

describe('setup_consul renders', () => {
  it('a server, a client and the GPU node of the real cluster (goldens), and the ACL step on the first server', async () => {
    const inventory = await loadInventory('inventory')
    await expectGoldens('consul', renderRole(servers, inventory, ['erenford'], {operator, stateDir: '/nonexistent'}))
    await expectGoldens(
      'consul',
      renderRole(clients, inventory, ['allyrion', 'velaryon'], {operator, stateDir: '/nonexistent'}),
    )
    const [step] = renderRole(acl, inventory, ['erenford'], {operator, stateDir: '/nonexistent'})
    await expectGoldens('consul_acl', [step!])
    expect(step!.plan.slice(0, 3)).toEqual([
      'command:consul acl bootstrap',
      'command:consul acl policy goldentooth-dns',
      'command:consul acl token consul dns',
    ])
    expect(step!.plan.filter((id) => id.startsWith('command:consul acl token consul agent '))).toHaveLength(17)
  })

  it('the lab: lab1 as a server, lab4 and lab5 as clients (goldens)', async () => {
    const inventory = await loadInventory('inventory/lab')
    await expectGoldens('consul', renderRole(servers, inventory, ['lab1'], {operator, stateDir: '/nonexistent'}))
    await expectGoldens(
      'consul',
      renderRole(clients, inventory, ['lab4', 'lab5'], {operator, stateDir: '/nonexistent'}),
    )
  })

  it("a server's consul.hcl, as Consul's own parser reads it", async () => {
    const inventory = await loadInventory('inventory')
    const {resources} = plan(servers, inventory, 'erenford')
    const config = await hclOf(resources, '/etc/consul.d/consul.hcl')
    expect(config).toMatchObject({
      acl: [{default_policy: 'deny', enabled: true}],
      addresses: [{http: '127.0.0.1'}],
      auto_encrypt: [{allow_tls: true}],
      bind_addr: '10.4.0.14',
      bootstrap_expect: 3,
      client_addr: '127.0.0.1 10.4.0.14',
      datacenter: 'dc1',
      node_name: 'erenford',
      retry_join: ['10.4.0.14', '10.4.0.15', '10.4.0.16'],
      server: true,
      tls: [
        {
          defaults: [
            {
              ca_file: '/etc/ssl/certs/goldentooth.pem',
              cert_file: '/etc/consul.d/certs/tls.crt',
              key_file: '/etc/consul.d/certs/tls.key',
              verify_incoming: true,
              verify_outgoing: true,
            },
          ],
          internal_rpc: [{verify_server_hostname: true}],
        },
      ],
      ui_config: [{enabled: true, metrics_proxy: [{base_url: 'http://10.4.0.10:9090'}]}],
    })
  })

  it("a client's consul.hcl: no server settings, auto-encrypt for RPC, the step-ca certificate for HTTPS", async () => {
    const inventory = await loadInventory('inventory')
    const config = await hclOf(plan(clients, inventory, 'velaryon').resources, '/etc/consul.d/consul.hcl')
    expect(config.server).toBeUndefined()
    expect(config.bootstrap_expect).toBeUndefined()
    expect(config).toMatchObject({
      auto_encrypt: [{tls: true}],
      bind_addr: '10.4.0.30',
      retry_join: ['10.4.0.14', '10.4.0.15', '10.4.0.16'],
      tls: [
        {
          defaults: [{ca_file: '/etc/ssl/certs/goldentooth.pem', verify_incoming: false, verify_outgoing: true}],
          https: [{cert_file: '/etc/consul.d/certs/tls.crt', key_file: '/etc/consul.d/certs/tls.key'}],
        },
      ],
    })
  })

  it('secrets.hcl holds the stored gossip key and this agent’s own token, 0640 root:consul, and never renders', async () => {
    const inventory = await loadInventory('inventory/lab')
    for (const [role, host] of [
      [servers, 'lab2'],
      [clients, 'lab4'],
    ] as const) {
      const {resources} = plan(role, inventory, host)
      const secrets = fileOf(resources, '/etc/consul.d/secrets.hcl')
      expect(secrets).toMatchObject({group: 'consul', mode: 0o640, owner: 'root', secret: true})
      expect(await hclOf(resources, '/etc/consul.d/secrets.hcl')).toEqual({
        acl: [{tokens: [{agent: agentToken(seed, host, 'dc1').secretId, dns: dnsToken(seed).secretId}]}],
        encrypt: SECRETS['consul-gossip-key']!.toString(),
      })
      const rendered = renderRole(role, inventory, [host], {operator, stateDir: '/nonexistent'})[0]!
      expect(rendered.files.find((f) => f.path === '/etc/consul.d/secrets.hcl')!.content.toString()).toBe(
        '<secret: not rendered>\n',
      )
    }
  })

  it('config only in /etc/consul.d/*.hcl: the old consul.env is removed, the unit follows upstream', async () => {
    const inventory = await loadInventory('inventory')
    const {resources} = plan(servers, inventory, 'erenford')
    expect(resources).toContainEqual({kind: 'absent', path: '/etc/consul.d/consul.env'})
    const etc = resources.filter((r) => 'path' in r && r.kind === 'file' && r.path.startsWith('/etc/consul.d/'))
    expect(etc.map((r) => ('path' in r ? r.path : ''))).toEqual([
      '/etc/consul.d/consul.hcl',
      '/etc/consul.d/secrets.hcl',
    ])
    const unit = fileOf(resources, '/etc/systemd/system/consul.service').content.toString()
    for (const line of [
      'Type=notify',
      'ExecReload=/bin/kill --signal HUP $MAINPID',
      'LimitNOFILE=65536',
      'Restart=on-failure',
      'User=consul',
      'ExecStart=/usr/local/bin/consul agent -config-dir=/etc/consul.d/',
    ])
      expect(unit.split('\n')).toContain(line)
    expect(unit).not.toContain('EnvironmentFile')
  })
})
