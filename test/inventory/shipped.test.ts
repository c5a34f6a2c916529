import path from 'node:path'

import {beforeAll, describe, expect, it} from 'vitest'

import {loadInventory} from '../../src/inventory/load.js'
import type {Inventory} from '../../src/inventory/model.js'

// goldentooth-anchor.md §3.2–3.3: the real cluster at HEAD (these addresses are never contacted by tests).
const HOSTS: Record<string, [ip: string, mac: string, index: number, leaves: string]> = {
  allyrion: [
    '10.4.0.10',
    'd8:3a:dd:8a:7d:aa',
    0,
    'all_pi_4b_8gb consul_client docker envoy haproxy nfs_server prometheus ray_worker zfs',
  ],
  bettley: [
    '10.4.0.11',
    'd8:3a:dd:89:c1:0b',
    1,
    'all_pi_4b_8gb consul_client k8s_control_plane ray_worker slurm_compute slurm_controller',
  ],
  cargyll: [
    '10.4.0.12',
    'd8:3a:dd:8a:7d:ef',
    2,
    'all_pi_4b_8gb consul_client k8s_control_plane ray_worker slurm_compute slurm_controller',
  ],
  dalt: [
    '10.4.0.13',
    'd8:3a:dd:8a:7e:9a',
    3,
    'all_pi_4b_8gb consul_client k8s_control_plane ray_worker slurm_compute slurm_controller',
  ],
  erenford: [
    '10.4.0.14',
    'd8:3a:dd:8a:80:3c',
    4,
    'all_pi_4b_8gb consul_server k8s_worker nomad_client nomad_server ray_head slurm_compute vault zfs',
  ],
  fenn: [
    '10.4.0.15',
    'd8:3a:dd:89:ef:61',
    5,
    'all_pi_4b_8gb consul_server k8s_worker nomad_client nomad_server ray_worker slurm_compute vault',
  ],
  gardener: [
    '10.4.0.16',
    'd8:3a:dd:89:aa:7d',
    6,
    'all_pi_4b_8gb consul_server grafana k8s_worker nomad_client nomad_server ray_worker slurm_compute vault zfs',
  ],
  harlton: [
    '10.4.0.17',
    'd8:3a:dd:89:f9:23',
    7,
    'all_pi_4b_8gb consul_client k8s_worker nomad_client ray_worker slurm_compute',
  ],
  inchfield: [
    '10.4.0.18',
    'd8:3a:dd:89:fa:fc',
    8,
    'all_pi_4b_8gb consul_client k8s_worker loki nomad_client ray_worker slurm_compute',
  ],
  jast: [
    '10.4.0.19',
    'd8:3a:dd:89:f0:4b',
    9,
    'all_pi_4b_8gb authelia consul_client k8s_worker nomad_client ray_worker slurm_compute step_ca',
  ],
  karstark: [
    '10.4.0.20',
    'dc:a6:32:8f:48:50',
    10,
    'all_pi_4b_4gb consul_client k8s_worker nomad_client ray_worker slurm_compute',
  ],
  lipps: [
    '10.4.0.21',
    'dc:a6:32:8c:98:75',
    11,
    'all_pi_4b_4gb consul_client k8s_worker nomad_client ray_worker slurm_compute',
  ],
  manderly: [
    '10.4.0.22',
    '2c:cf:67:ed:02:1a',
    12,
    'all_pi_5 consul_client k8s_worker nomad_client ray_worker seaweedfs slurm_compute',
  ],
  norcross: [
    '10.4.0.23',
    '88:a2:9e:1b:f0:26',
    13,
    'all_pi_5 consul_client k8s_worker nomad_client ray_worker seaweedfs slurm_compute',
  ],
  oakheart: [
    '10.4.0.24',
    '2c:cf:67:ec:ff:48',
    14,
    'all_pi_5 consul_client k8s_worker nomad_client ray_worker seaweedfs slurm_compute',
  ],
  payne: [
    '10.4.0.25',
    '2c:cf:67:ed:2f:d7',
    15,
    'all_pi_5 consul_client k8s_worker nomad_client ray_worker seaweedfs slurm_compute',
  ],
  velaryon: [
    '10.4.0.30',
    '2c:f0:5d:0f:ff:39',
    23,
    'all_non_pis consul_client k8s_worker k8s_worker_gpu nfs_server nomad_client nomad_client_gpu ollama ray_worker ray_worker_gpu',
  ],
}
// Parent groups the anchor's per-host lists leave out, plus k8s_cluster (every k8s node) and our seaweedfs_master.
const PARENTS = new Set([
  'all_nodes',
  'all_pis',
  'all_pi_4b',
  'consul',
  'nomad',
  'slurm',
  'ray',
  'k8s_cluster',
  'seaweedfs_master',
])

let inventory: Inventory
beforeAll(async () => {
  inventory = await loadInventory(path.resolve('inventory'))
})

describe('the shipped inventory (the real 17-node cluster)', () => {
  it('holds exactly the 17 hosts, each with its address, MAC and index', () => {
    expect([...inventory.hosts.keys()].sort()).toEqual(Object.keys(HOSTS).sort())
    for (const [host, [ip, mac, index]] of Object.entries(HOSTS)) {
      const vars = inventory.hostVars(host)
      expect(vars, host).toMatchObject({
        ansible_host: ip,
        ansible_user: 'root',
        host_index: index,
        ipv4_address: ip,
        mac_address: mac,
      })
    }
  })

  it("puts every host in the anchor's groups", () => {
    for (const [host, [, , , leaves]] of Object.entries(HOSTS)) {
      const groups = inventory.groupNames(host).filter((g) => !PARENTS.has(g))
      expect(groups, host).toEqual(leaves.split(' '))
    }
    expect(inventory.groupHosts('seaweedfs_master')).toEqual(['manderly', 'norcross', 'oakheart'])
    expect(inventory.groupHosts('k8s_cluster')).toHaveLength(16)
  })

  it('gives every hardware group the facts offline rendering assumes', () => {
    const facts = (host: string) => inventory.hostVars(host).assumed_facts as Record<string, unknown>
    expect(facts('bettley')).toMatchObject({
      architecture: 'arm64',
      cpus: 4,
      os_id: 'debian',
      os_version_id: '12',
      gpus: [],
    })
    expect(facts('karstark')).toMatchObject({architecture: 'arm64', memory_mb: 3797})
    expect(facts('payne')).toMatchObject({architecture: 'arm64', cpus: 4})
    expect(facts('velaryon')).toMatchObject({
      architecture: 'amd64',
      cores_per_socket: 12,
      cpus: 24,
      os_id: 'ubuntu',
      os_version_id: '24.04',
      threads_per_core: 2,
    })
    expect((facts('velaryon').gpus as unknown[])[0]).toMatchObject({model: 'GeForce RTX 2070 SUPER', vendor: 'nvidia'})
    for (const host of Object.keys(HOSTS)) expect(facts(host), host).toHaveProperty('memory_mb')
  })

  it('loads the same from the directory and from hosts.yaml, with no warnings', async () => {
    const file = await loadInventory(path.resolve('inventory/hosts.yaml'))
    expect([...file.groups.keys()]).toEqual([...inventory.groups.keys()])
    expect(file.hostVars('velaryon')).toEqual({
      ...inventory.hostVars('velaryon'),
      inventory_dir: expect.any(String),
      inventory_file: expect.any(String),
    })
    expect(inventory.warnings).toEqual([])
  })
})
