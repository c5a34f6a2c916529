import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import type {Inventory} from '../../src/inventory/model.js'
import type {ClusterCheck, HostCheck, ProbeResult, Suite, Verdict} from '../../src/health/model.js'

import {SUITES} from '../../src/health/catalog.js'
import {hostContext} from '../../src/health/plan.js'
import {loadInventory} from '../../src/inventory/load.js'

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures', 'health')
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8')
const NOW = Date.UTC(2025, 6, 19, 15, 0, 0)

function probe(stdout: string, exitCode = 0, stderr = ''): ProbeResult {
  return {attempts: 1, durationMs: 7, exitCode, stderr, stdout}
}

/** What the http probe prints: the body, then the status code on its own line. */
function http(body: string, status: number, healthy = [200]): ProbeResult {
  return probe(`${body}\n${status}\n`, healthy.includes(status) ? 0 : 1)
}

const refused = probe(
  '\n000\n',
  1,
  "curl: (7) Failed to connect to 10.4.0.11 port 8200 after 0 ms: Couldn't connect to server\n",
)

async function inventoryOf(yaml: string): Promise<Inventory> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gt-health-inv-'))
  writeFileSync(path.join(dir, 'hosts.yaml'), yaml)
  return loadInventory(path.join(dir, 'hosts.yaml'))
}

const suite = (name: string): Suite => SUITES.find((candidate) => candidate.name === name)!
const hostCheck = (suiteName: string, name: string): HostCheck =>
  suite(suiteName).hostChecks.find((check) => check.name === name)!
const clusterCheck = (suiteName: string, name: string): ClusterCheck =>
  suite(suiteName).clusterChecks.find((check) => check.name === name)!

function onHost(inventory: Inventory, host: string, check: HostCheck, result: ProbeResult | undefined): Verdict[] {
  return check.evaluate({context: hostContext(inventory, host), nowMs: NOW, ...(result ? {result} : {})})
}

function onCluster(
  inventory: Inventory,
  check: ClusterCheck,
  results: Record<string, ProbeResult | undefined>,
): Verdict {
  const collected = Object.entries(results).map(([host, result]) => ({
    context: hostContext(inventory, host),
    host,
    ...(result ? {result} : {}),
  }))
  const [verdict, ...rest] = check.evaluate(collected, {inventory, nowMs: NOW})
  expect(rest).toEqual([])
  return verdict!
}

const showFailed = () =>
  `LoadState=loaded\nActiveState=failed\nSubState=failed\nUnitFileState=enabled\nResult=exit-code\n--- journal ---\n`

describe('consul, from recorded outputs', () => {
  const modern = inventoryOf(`all:
  children:
    consul:
      children:
        consul_server: {hosts: {agent01: {ipv4_address: 192.168.48.138}, agent02: {}, agent03: {}}}
        consul_client: {hosts: {client01: {}}}
`)

  it('members: every consul host alive, the consul_server hosts servers (Consul 1.16 format)', async () => {
    const inventory = await modern
    const verdict = onCluster(inventory, clusterCheck('consul', 'members'), {
      agent01: probe(fixture('consul/members-1.16.txt')),
      agent02: undefined,
    })
    expect(verdict).toMatchObject({status: 'pass', observed: '4 alive of 4 (asked agent01)'})
  })

  it('members: left, maint and failed members fail the check, each named (the old format too)', async () => {
    const inventory = await inventoryOf(`all:
  children:
    consul:
      children:
        consul_server: {hosts: {Node2: {}, Node3: {}, Node4: {}}}
        consul_client: {hosts: {Node1: {}, Node5: {}}}
`)
    const verdict = onCluster(inventory, clusterCheck('consul', 'members'), {
      Node2: probe(fixture('consul/members-0.6.txt')),
    })
    expect(verdict.status).toBe('fail')
    expect(verdict.observed).toContain('Node1 left')
    expect(verdict.observed).toContain('Node3 maint')
    expect(verdict.observed).toContain('Node5 missing')
    expect(verdict.observed).not.toContain('Node4')
  })

  it('members: a server that was stopped shows as left', async () => {
    const inventory = await inventoryOf(`all:
  children:
    consul:
      children:
        consul_server: {hosts: {ip-10-1-2-10: {}, ip-10-1-29-84: {}, ip-10-1-40-40: {}}}
`)
    const verdict = onCluster(inventory, clusterCheck('consul', 'members'), {
      'ip-10-1-2-10': refused,
      'ip-10-1-29-84': probe(fixture('consul/members-left.txt')),
    })
    expect(verdict).toMatchObject({status: 'fail'})
    expect(verdict.observed).toContain('ip-10-1-2-10 left')
    expect(verdict.observed).toContain('asked ip-10-1-29-84')
  })

  it('members: no server answering names each one and why', async () => {
    const inventory = await modern
    const verdict = onCluster(inventory, clusterCheck('consul', 'members'), {
      agent01: probe('', 127, 'sh: 1: consul: not found\n'),
      agent02: probe(
        '',
        1,
        'Error retrieving members: Get "http://192.168.48.139:8500/v1/agent/members": dial tcp 192.168.48.139:8500: connect: connection refused\n',
      ),
    })
    expect(verdict.status).toBe('fail')
    expect(verdict.observed).toContain('agent01: consul: command not found')
    expect(verdict.observed).toContain('agent02: Error retrieving members')
  })

  it('leader: the servers agree on one leader; an empty answer means none', async () => {
    const inventory = await modern
    const leader = clusterCheck('consul', 'leader')
    const agreeing = {
      agent01: http(fixture('consul/leader.json'), 200),
      agent02: http(fixture('consul/leader.json'), 200),
      agent03: http(fixture('consul/leader.json'), 200),
    }
    expect(onCluster(inventory, leader, agreeing)).toMatchObject({
      observed: '10.1.41.72:8300 (3 servers agree)',
      status: 'pass',
    })
    const split = onCluster(inventory, leader, {...agreeing, agent03: http(fixture('consul/no-leader.json'), 200)})
    expect(split).toMatchObject({status: 'fail'})
    expect(split.observed).toContain('agent03: none')
    expect(
      onHost(inventory, 'agent03', hostCheck('consul', 'api'), http(fixture('consul/no-leader.json'), 200))[0],
    ).toMatchObject({
      status: 'fail',
    })
  })

  it('a server refusing to rejoin after server_rejoin_age_max gets the fix as its hint', async () => {
    const inventory = await modern
    const [verdict] = onHost(
      inventory,
      'agent02',
      hostCheck('consul', 'unit:consul'),
      probe(showFailed() + fixture('consul/journal-rejoin.txt'), 1),
    )
    expect(verdict!.status).toBe('fail')
    expect(verdict!.observed).toContain('refusing to rejoin cluster')
    expect(verdict!.hint).toContain('server_rejoin_age_max')
    expect(verdict!.hint).toContain("goldentooth command_root agent02 'rm -f /opt/consul/server_metadata.json*'")
  })

  it('a client whose token lacks node:write is told where the agent token goes', async () => {
    const inventory = await modern
    const [verdict] = onHost(
      inventory,
      'client01',
      hostCheck('consul', 'unit:consul'),
      probe(showFailed() + fixture('consul/journal-auto-encrypt.txt'), 1),
    )
    expect(verdict!.hint).toContain('node:write')
    expect(verdict!.hint).toContain('consul.hcl')
  })
})

describe('vault, from recorded /v1/sys/health answers', () => {
  const inventory = inventoryOf('all:\n  children:\n    vault: {hosts: {v1: {}, v2: {}, v3: {}}}\n')
  const active = http(fixture('vault/health-active.json'), 200, [200, 429, 473])
  const standby = http(fixture('vault/health-standby.json'), 429, [200, 429, 473])
  const sealed = http(fixture('vault/health-sealed.json'), 503, [200, 429, 473])
  const uninitialized = http(fixture('vault/health-uninitialized.json'), 501, [200, 429, 473])

  it('a host passes when active or standby, fails when sealed or not initialized', async () => {
    const unsealed = hostCheck('vault', 'unsealed')
    const inv = await inventory
    expect(onHost(inv, 'v1', unsealed, active)[0]).toMatchObject({observed: '200 active (Vault 0.9.2)', status: 'pass'})
    expect(onHost(inv, 'v1', unsealed, standby)[0]).toMatchObject({
      observed: '429 standby (Vault 0.9.2)',
      status: 'pass',
    })
    expect(onHost(inv, 'v1', unsealed, sealed)[0]).toMatchObject({observed: '503 sealed (Vault 0.9.2)', status: 'fail'})
    expect(onHost(inv, 'v1', unsealed, sealed)[0]!.hint).toContain('KMS')
    expect(onHost(inv, 'v1', unsealed, uninitialized)[0]).toMatchObject({status: 'fail'})
    expect(onHost(inv, 'v1', unsealed, refused)[0]!.observed).toContain('Failed to connect')
  })

  it('the cluster needs every server unsealed and exactly one active', async () => {
    const inv = await inventory
    const check = clusterCheck('vault', 'active')
    expect(onCluster(inv, check, {v1: active, v2: standby, v3: standby})).toMatchObject({
      observed: 'v1: active, v2: standby, v3: standby',
      status: 'pass',
    })
    expect(onCluster(inv, check, {v1: standby, v2: standby, v3: standby}).hint).toContain('no active server')
    expect(onCluster(inv, check, {v1: active, v2: active, v3: standby}).hint).toContain('more than one active')
    expect(onCluster(inv, check, {v1: active, v2: sealed, v3: standby})).toMatchObject({
      observed: 'v1: active, v2: sealed, v3: standby',
      status: 'fail',
    })
  })
})

describe('nomad, from recorded /v1/nodes answers', () => {
  it('every client ready and eligible, GPU clients of class gpu', async () => {
    const inventory = await inventoryOf(`all:
  children:
    nomad:
      children:
        nomad_server: {hosts: {velaryon: {}}}
        nomad_client: {hosts: {inchfield: {}}, children: {nomad_client_gpu: {hosts: {velaryon: {}}}}}
`)
    const clients = clusterCheck('nomad', 'clients')
    const nodes = fixture('nomad/nodes-goldentooth.json')
    expect(onCluster(inventory, clients, {velaryon: http(nodes, 200)})).toMatchObject({status: 'pass'})
    const wrongClass = nodes.replace('"NodeClass":"gpu"', '"NodeClass":"default"')
    expect(onCluster(inventory, clients, {velaryon: http(wrongClass, 200)}).observed).toContain(
      'velaryon class default, not gpu',
    )
  })

  it('a down node and a missing one are named; a node that re-registered is judged by its newest entry', async () => {
    const inventory = await inventoryOf(`all:
  children:
    nomad:
      children:
        nomad_server: {hosts: {core-0fa.stag.awse: {}}}
        nomad_client: {hosts: {woofound-008.stag.awse: {}, deck-validator-test-kitchen: {}, absent: {}}}
`)
    const clients = clusterCheck('nomad', 'clients')
    const recorded = fixture('nomad/nodes-0.6.json')
    const verdict = onCluster(inventory, clients, {'core-0fa.stag.awse': http(recorded, 200)})
    expect(verdict.status).toBe('fail')
    expect(verdict.observed).toContain('deck-validator-test-kitchen down')
    expect(verdict.observed).toContain('absent not registered')
    expect(verdict.observed).not.toContain('woofound-008')
    const nodes = JSON.parse(recorded) as Array<Record<string, unknown>>
    const rejoined = [...nodes, {...nodes[3], CreateIndex: 1400000, ID: 'new', Status: 'ready'}]
    const again = onCluster(inventory, clients, {'core-0fa.stag.awse': http(JSON.stringify(rejoined), 200)})
    expect(again.observed).not.toContain('deck-validator-test-kitchen')
  })

  it('the servers agree on a leader', async () => {
    const inventory = await inventoryOf('all:\n  children:\n    nomad_server: {hosts: {a: {}, b: {}}}\n')
    const leader = clusterCheck('nomad', 'leader')
    const answer = http(fixture('nomad/leader.json'), 200)
    expect(onCluster(inventory, leader, {a: answer, b: answer})).toMatchObject({status: 'pass'})
    expect(onCluster(inventory, leader, {a: answer, b: refused}).observed).toContain('b: curl: (7)')
  })
})

describe('zfs, from recorded zpool and zfs outputs', () => {
  const inventory = inventoryOf('all:\n  children:\n    zfs: {hosts: {allyrion: {}, gardener: {}}}\n')

  it('a DEGRADED pool fails with zpool status -x saying why, and its action as the hint', async () => {
    const pools = hostCheck('zfs', 'pools')
    const degraded = `${fixture('zfs/zpool-list-degraded.txt')}--- status ---\n${fixture('zfs/zpool-status-degraded.txt')}`
    const [verdict] = onHost(await inventory, 'allyrion', pools, probe(degraded))
    expect(verdict).toMatchObject({status: 'fail'})
    expect(verdict!.observed).toBe('tank01 DEGRADED: One or more devices are faulted in response to persistent errors.')
    expect(verdict!.hint).toContain("use 'zpool clear'")
    const healthy = `${fixture('zfs/zpool-list-online.txt')}--- status ---\n${fixture('zfs/zpool-status-healthy.txt')}`
    expect(onHost(await inventory, 'allyrion', pools, probe(healthy))[0]).toMatchObject({
      observed: 'rpool ONLINE',
      status: 'pass',
    })
  })

  it('replicas need a recent syncoid snapshot; the primary is not judged on it', async () => {
    const replication = hostCheck('zfs', 'replication')
    const inv = await inventory
    const created = 1752936332 * 1000
    const at = (nowMs: number) =>
      replication.evaluate({context: hostContext(inv, 'gardener'), nowMs, result: probe(fixture('zfs/snapshots.txt'))})
    expect(at(created + 600_000)[0]).toMatchObject({status: 'pass'})
    expect(at(created + 600_000)[0]!.observed).toContain('@syncoid_allyrion_2025-07-19:10:45:32-GMT-04:00 is 600 s')
    expect(at(created + 3 * 3600_000)[0]).toMatchObject({status: 'fail'})
    expect(replication.evaluate({context: hostContext(inv, 'allyrion'), nowMs: NOW})).toEqual([])
    expect(replication.probe!(hostContext(inv, 'allyrion'))).toBeUndefined()
  })
})

describe('seaweedfs, from recorded /cluster/status and /dir/status answers', () => {
  const masters = (names: string[]) =>
    inventoryOf(`all:
  children:
    seaweedfs:
      hosts: {vol1: {ipv4_address: 10.164.0.5}, vol2: {ipv4_address: 10.164.0.4}}
      children:
        seaweedfs_master: {hosts: {${names.map((name) => `${name}: {}`).join(', ')}}}
`)

  it('a leader, the same for every master; a master without one, or every master leading, fails', async () => {
    const inventory = await masters(['s1', 's2', 's3'])
    const leader = clusterCheck('seaweedfs', 'leader')
    const follower = http(fixture('seaweedfs/cluster-status-s2.json'), 200)
    expect(onCluster(inventory, leader, {s1: follower, s2: follower, s3: follower})).toMatchObject({status: 'pass'})
    const lost = onCluster(inventory, leader, {
      s1: follower,
      s2: follower,
      s3: http(fixture('seaweedfs/cluster-status-s3-no-leader.json'), 200),
    })
    expect(lost.observed).toContain('s3: no leader')
    const [a, b, c] = fixture('seaweedfs/cluster-status-all-leaders.txt').split('---\n')
    const split = onCluster(inventory, leader, {s1: http(a!, 200), s2: http(b!, 200), s3: http(c!, 200)})
    expect(split).toMatchObject({status: 'fail'})
    expect(split.observed).toContain('fast-master-2.consul:9333')
  })

  it('an even master count fails with the reason SeaweedFS gives', async () => {
    const check = clusterCheck('seaweedfs', 'masters')
    const follower = http(fixture('seaweedfs/cluster-status-s2.json'), 200)
    expect(onCluster(await masters(['s1', 's2', 's3']), check, {s1: follower})).toMatchObject({status: 'pass'})
    const four = onCluster(await masters(['s1', 's2', 's3', 's4']), check, {s1: follower})
    expect(four).toMatchObject({status: 'fail'})
    expect(four.hint).toContain('odd number of masters')
  })

  it('every volume server registered', async () => {
    const check = clusterCheck('seaweedfs', 'volumes')
    const topology = http(fixture('seaweedfs/dir-status.json'), 200)
    const volumes = (hosts: string) =>
      inventoryOf(`all:
  children:
    seaweedfs:
      hosts: {${hosts}}
      children:
        seaweedfs_master: {hosts: {vol1: {}}}
`)
    const both = await volumes('vol1: {ipv4_address: 10.164.0.5}, vol2: {ipv4_address: 10.164.0.4}')
    expect(onCluster(both, check, {vol1: topology})).toMatchObject({
      observed: '2 registered (asked vol1)',
      status: 'pass',
    })
    const more = await volumes('vol1: {ipv4_address: 10.164.0.5}, vol3: {ipv4_address: 10.164.0.9}')
    expect(onCluster(more, check, {vol1: topology}).observed).toContain('missing: vol3')
  })
})

describe('gpu, step_ca and slurm, from recorded outputs', () => {
  it('nvidia-smi: GPUs listed pass; no driver, or no nvidia-smi, fail with what to do', async () => {
    const inventory = await inventoryOf('all:\n  children:\n    nomad_client_gpu: {hosts: {velaryon: {}}}\n')
    const check = hostCheck('gpu', 'nvidia_smi')
    expect(onHost(inventory, 'velaryon', check, probe(fixture('gpu/nvidia-smi-ok.csv')))[0]).toMatchObject({
      observed: '1 GPU: NVIDIA GeForce RTX 2070 SUPER (8192 MiB), driver 575.51.03',
      status: 'pass',
    })
    const [noDriver] = onHost(inventory, 'velaryon', check, probe(fixture('gpu/nvidia-smi-no-driver.txt'), 9))
    expect(noDriver!.hint).toContain('dkms status')
    expect(onHost(inventory, 'velaryon', check, probe('', 127, 'sh: 1: nvidia-smi: not found'))[0]!.observed).toBe(
      'nvidia-smi: command not found',
    )
  })

  it('step-ca /health answers ok', async () => {
    const inventory = await inventoryOf('all:\n  children:\n    step_ca: {hosts: {jast: {ipv4_address: 10.4.0.19}}}\n')
    const check = hostCheck('step_ca', 'health')
    expect(onHost(inventory, 'jast', check, http(fixture('step_ca/health.json'), 200))[0]!.status).toBe('pass')
    expect(check.probe!(hostContext(inventory, 'jast'))!.script).toContain('https\\://10.4.0.19\\:9443/health')
    expect(onHost(inventory, 'jast', check, refused)[0]!.status).toBe('fail')
  })

  it('slurm: a drained node fails with the reason Slurm gives; every controller UP', async () => {
    const inventory = await inventoryOf(`all:
  children:
    slurm:
      children:
        slurm_controller: {hosts: {lab1: {}}}
        slurm_compute: {hosts: {lab1: {}, lab2: {}, lab3: {}, lab4: {}}}
`)
    const nodes = clusterCheck('slurm', 'nodes')
    expect(onCluster(inventory, nodes, {lab1: probe(fixture('slurm/sinfo-idle.txt'))})).toMatchObject({
      observed: '4 of 4 usable (asked lab1)',
      status: 'pass',
    })
    const drained = onCluster(inventory, nodes, {lab1: probe(fixture('slurm/sinfo-drained.txt'))})
    expect(drained).toMatchObject({
      observed: '3 of 4 usable (asked lab1): lab4 drained: disk replaced, testing',
      status: 'fail',
    })
    const notResponding = fixture('slurm/sinfo-idle.txt').replaceAll('lab3|idle|none', 'lab3|idle*|Not responding')
    expect(onCluster(inventory, nodes, {lab1: probe(notResponding)}).observed).toContain('lab3 idle*: Not responding')
    const controller = clusterCheck('slurm', 'controller')
    expect(onCluster(inventory, controller, {lab1: probe(fixture('slurm/scontrol-ping.txt'))})).toMatchObject({
      status: 'pass',
    })
    const down = fixture('slurm/scontrol-ping.txt').replace('lab2 is UP', 'lab2 is DOWN')
    expect(onCluster(inventory, controller, {lab1: probe(down)}).observed).toContain('lab2 (backup1) DOWN')
  })
})
