import {describe, expect, it} from 'vitest'

import {renderRole} from '../../../src/engine/render.js'
import {loadInventory} from '../../../src/inventory/load.js'
import nomadModule from '../../../src/roles/nomad/index.js'
import {nomadToken} from '../../../src/roles/nomad/role.js'
import {expectGoldens} from '../golden.js'
import {fileOf, hclOf, plan, SECRETS} from '../shared/hashicorp/plan.js'

const operator = {publicKeys: []}
const {roles} = nomadModule
const [acl, nomad] = roles as [(typeof roles)[0], (typeof roles)[0]]
const seed = SECRETS['consul-acl-seed']!
const SERVERS = ['10.4.0.14', '10.4.0.15', '10.4.0.16']

describe('setup_nomad renders', () => {
  it('a server, a client and the GPU node of the real cluster, the lab (goldens), and the Consul token step', async () => {
    const inventory = await loadInventory('inventory')
    await expectGoldens(
      'nomad',
      renderRole(nomad, inventory, ['erenford', 'harlton', 'velaryon'], {operator, stateDir: '/nonexistent'}),
    )
    const [step] = renderRole(acl, inventory, ['erenford'], {operator, stateDir: '/nonexistent'})
    expect(step!.plan).toEqual([
      'command:consul acl policy nomad-server',
      'command:consul acl policy nomad-client',
      'command:consul acl token nomad server',
      'command:consul acl token nomad client',
    ])
    await expectGoldens('nomad_consul_acl', [step!])
    const lab = await loadInventory('inventory/lab')
    await expectGoldens('nomad', renderRole(nomad, lab, ['lab1', 'lab4', 'lab5'], {operator, stateDir: '/nonexistent'}))
  })

  it("a server that is also a client, as Nomad's parser reads it", async () => {
    const inventory = await loadInventory('inventory')
    const config = await hclOf(plan(nomad, inventory, 'erenford').resources, '/etc/nomad.d/nomad.hcl')
    expect(config).toMatchObject({
      bind_addr: '10.4.0.14',
      client: [{enabled: true, meta: [{arch: 'aarch64', gpu: 'false'}], node_class: 'default'}],
      consul: [{address: '127.0.0.1:8500', client_auto_join: true, server_auto_join: true}],
      datacenter: 'dc1',
      server: [{bootstrap_expect: 3, enabled: true, server_join: [{retry_join: SERVERS}]}],
      telemetry: [
        {
          collection_interval: '1s',
          prometheus_metrics: true,
          publish_allocation_metrics: true,
          publish_node_metrics: true,
        },
      ],
      tls: [
        {
          ca_file: '/etc/ssl/certs/goldentooth.pem',
          cert_file: '/opt/nomad/certs/tls.crt',
          http: true,
          key_file: '/opt/nomad/certs/tls.key',
          rpc: true,
          verify_https_client: true,
          verify_server_hostname: true,
        },
      ],
      vault: [{address: 'https://10.4.0.14:8200', enabled: true}],
    })
    expect(config.plugin).toBeUndefined()
  })

  it('the GPU node: node_class gpu, meta gpu, and the NVIDIA device plugin with its binary', async () => {
    const inventory = await loadInventory('inventory')
    const {resources, warnings} = plan(nomad, inventory, 'velaryon')
    const config = await hclOf(resources, '/etc/nomad.d/nomad.hcl')
    expect(config).toMatchObject({
      client: [
        {
          meta: [{arch: 'x86_64', gpu: 'true'}],
          node_class: 'gpu',
          server_join: [{retry_join: SERVERS.map((s) => `${s}:4647`)}],
        },
      ],
      plugin: {'nomad-device-nvidia': [{config: [{enabled: true}]}]},
    })
    expect(config.server).toBeUndefined()
    expect(resources).toContainEqual(
      expect.objectContaining({kind: 'artifact', mode: 0o755, path: '/opt/nomad/plugins/nomad-device-nvidia'}),
    )
    expect(warnings).toEqual([])
    const unit = fileOf(resources, '/etc/systemd/system/nomad.service').content.toString()
    expect(unit).not.toMatch(/^User=/m)
  })

  it('a GPU-group client whose facts show no GPU: node_class gpu, a clear warning, no device plugin', async () => {
    const inventory = await loadInventory('inventory/lab')
    const {resources, warnings} = plan(nomad, inventory, 'lab5')
    const config = await hclOf(resources, '/etc/nomad.d/nomad.hcl')
    expect(config).toMatchObject({client: [{meta: [{gpu: 'false'}], node_class: 'gpu'}]})
    expect(config.plugin).toBeUndefined()
    expect(warnings).toEqual([
      'in a GPU group (node_class "gpu"), but no NVIDIA GPU was found (nvidia-smi and lspci): the NVIDIA device ' +
        'plugin is not configured, so jobs that ask for an nvidia/gpu device will not be placed here',
    ])
    expect(resources).toContainEqual({
      kind: 'absent',
      notify: [{action: 'restart', service: 'nomad'}],
      path: '/opt/nomad/plugins/nomad-device-nvidia',
    })
  })

  it('secrets.hcl: the gossip key on servers only, each kind its own Consul token', async () => {
    const inventory = await loadInventory('inventory')
    const server = plan(nomad, inventory, 'fenn').resources
    expect(fileOf(server, '/etc/nomad.d/secrets.hcl')).toMatchObject({group: 'nomad', mode: 0o640, secret: true})
    expect(await hclOf(server, '/etc/nomad.d/secrets.hcl')).toEqual({
      consul: [{token: nomadToken(seed, 'server').secretId}],
      server: [{encrypt: SECRETS['nomad-gossip-key']!.toString()}],
    })
    expect(await hclOf(plan(nomad, inventory, 'harlton').resources, '/etc/nomad.d/secrets.hcl')).toEqual({
      consul: [{token: nomadToken(seed, 'client').secretId}],
    })
  })

  it('the unit follows upstream packaging', async () => {
    const inventory = await loadInventory('inventory')
    const unit = fileOf(
      plan(nomad, inventory, 'harlton').resources,
      '/etc/systemd/system/nomad.service',
    ).content.toString()
    for (const line of [
      'OOMScoreAdjust=-1000',
      'TasksMax=infinity',
      'LimitNPROC=infinity',
      'KillSignal=SIGINT',
      'EnvironmentFile=-/etc/nomad.d/nomad.env',
      'ExecStart=/usr/local/bin/nomad agent -config /etc/nomad.d',
      'After=consul.service',
    ])
      expect(unit.split('\n')).toContain(line)
  })
})
