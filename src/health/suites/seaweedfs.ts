import type {ClusterCheck, Collected, HostContext, Suite} from '../model.js'

import {seaweedfsSettings} from '../../roles/seaweedfs/settings.js'
import {hostAddress} from '../../roles/vars.js'
import {httpOutcome, httpProbe, jsonBody} from '../http.js'
import {portsCheck} from '../ports.js'
import {unitCheck} from '../units.js'
import {fail, pass, skip} from '../verdict.js'

const masterPort = (context: HostContext) => seaweedfsSettings(context.vars).masterPort
const volumePort = (context: HostContext) => seaweedfsSettings(context.vars).volumePort

/** A master's `GET /cluster/status`: `{"IsLeader":true,"Leader":"10.4.0.21:9333","Peers":[…]}`. */
export interface ClusterStatus {
  IsLeader?: boolean
  Leader?: string
  Peers?: string[]
}

/** The volume servers a master knows: every `Url` under `/dir/status` Topology → DataCenters → Racks → DataNodes. */
export function volumeServers(body: string): string[] | undefined {
  const status = jsonBody<{
    Topology?: {DataCenters?: Array<{Racks?: Array<{DataNodes?: Array<{Url?: string}>}>}>}
  }>(body)
  if (!status?.Topology) return undefined
  return (status.Topology.DataCenters ?? []).flatMap((dc) =>
    (dc.Racks ?? []).flatMap((rack) => (rack.DataNodes ?? []).flatMap((node) => (node.Url ? [node.Url] : []))),
  )
}

const masterProbe = (path: string) => (context: HostContext) =>
  httpProbe({healthy: [200], retrySeconds: 5, url: `http://${context.address}:${masterPort(context)}${path}`})

function statuses(collected: readonly Collected[]): Array<{host: string; problem?: string; status?: ClusterStatus}> {
  return collected.map(({host, result}) => {
    const outcome = httpOutcome(result)
    if (!outcome.ok) return {host, problem: outcome.problem}
    const status = jsonBody<ClusterStatus>(outcome.body)
    return status ? {host, status} : {host, problem: `${outcome.status} ${outcome.body.slice(0, 120)}`}
  })
}

const leader: ClusterCheck = {
  collectFrom: ['seaweedfs_master'],
  evaluate: (collected) => {
    const expected = 'a leader elected, the same for every master'
    const seen = statuses(collected)
    const leaders = new Set(seen.map((entry) => entry.status?.Leader || 'none'))
    const observed = seen
      .map((entry) => `${entry.host}: ${entry.status?.Leader || entry.problem || 'no leader'}`)
      .join(', ')
    return leaders.size === 1 && !leaders.has('none')
      ? [pass('leader', expected, `${[...leaders][0]} (${seen.length} masters agree)`)]
      : [
          fail(
            'leader',
            expected,
            observed,
            'journalctl -u seaweedfs-master -n 50 on the masters; an even master count cannot elect a leader',
          ),
        ]
  },
  name: 'leader',
  probe: masterProbe('/cluster/status'),
  summary: 'The SeaweedFS masters elected one leader',
}

const masters: ClusterCheck = {
  collectFrom: ['seaweedfs_master'],
  evaluate: (collected, {inventory}) => {
    const group = inventory.groupHosts('seaweedfs_master')
    const expected = 'an odd number of masters, at least 3, each seeing the others as peers'
    if (group.length === 0) return [skip('masters', expected, 'the inventory has no seaweedfs_master group')]
    const peers = statuses(collected).flatMap((entry) => (entry.status?.Peers ? [entry.status.Peers.length + 1] : []))
    const observed = `${group.length} in seaweedfs_master${peers.length ? `; masters see ${[...new Set(peers)].join('/')} masters` : ''}`
    if (group.length < 3 || group.length % 2 === 0) {
      return [
        fail(
          'masters',
          expected,
          observed,
          'SeaweedFS supports only an odd number of masters: make seaweedfs_master 3 (or 5) hosts',
        ),
      ]
    }
    return peers.every((count) => count === group.length)
      ? [pass('masters', expected, observed)]
      : [
          fail(
            'masters',
            expected,
            observed,
            'the -peers lists disagree with the inventory: goldentooth setup_seaweedfs',
          ),
        ]
  },
  name: 'masters',
  probe: masterProbe('/cluster/status'),
  summary: 'The master count is odd and at least 3, and the masters see each other',
}

const volumes: ClusterCheck = {
  collectFrom: ['seaweedfs_master'],
  evaluate: (collected, {inventory}) => {
    const hosts = inventory.groupHosts('seaweedfs')
    const expected = `${hosts.length} volume servers registered with the masters`
    const answer = collected.find(({result}) => {
      const outcome = httpOutcome(result)
      return outcome.ok && volumeServers(outcome.body) !== undefined
    })
    const outcome = httpOutcome(answer?.result)
    if (!answer || !outcome.ok) {
      return [
        fail(
          'volumes',
          expected,
          collected
            .map((c) => `${c.host}: ${(httpOutcome(c.result) as {problem?: string}).problem ?? 'no topology'}`)
            .join('; ') || 'no master selected',
        ),
      ]
    }
    const registered = volumeServers(outcome.body) ?? []
    const missing = hosts.filter((host) => {
      const vars = inventory.hostVars(host)
      const port = seaweedfsSettings(vars).volumePort
      return ![`${hostAddress(vars) ?? host}:${port}`, `${host}:${port}`].some((url) => registered.includes(url))
    })
    const observed = `${registered.length} registered (asked ${answer.host})`
    return missing.length === 0
      ? [pass('volumes', expected, observed)]
      : [
          fail(
            'volumes',
            expected,
            `${observed}; missing: ${missing.join(', ')}`,
            'journalctl -u seaweedfs-volume -n 50 on the hosts named',
          ),
        ]
  },
  name: 'volumes',
  probe: masterProbe('/dir/status'),
  summary: 'Every seaweedfs host is registered as a volume server',
}

export const SEAWEEDFS: Suite = {
  clusterChecks: [leader, masters, volumes],
  hostChecks: [
    unitCheck('seaweedfs-master', ['seaweedfs_master']),
    portsCheck('seaweedfs-master', (context) => [masterPort(context)], ['seaweedfs_master']),
    unitCheck('seaweedfs-volume', ['seaweedfs']),
    portsCheck('seaweedfs-volume', (context) => [volumePort(context)], ['seaweedfs']),
  ],
  name: 'seaweedfs',
  summary:
    'SeaweedFS masters and volume servers running; one leader; an odd master count; every volume server registered.',
}
