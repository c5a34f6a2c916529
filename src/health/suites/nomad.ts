import type {ClusterCheck, Collected, HostContext, Suite} from '../model.js'

import {NOMAD_PORTS, nomadSettings} from '../../roles/nomad/settings.js'
import {httpOutcome, httpProbe, jsonBody} from '../http.js'
import {portsCheck} from '../ports.js'
import {unitCheck} from '../units.js'
import {fail, pass, skip} from '../verdict.js'

/** One entry of `GET /v1/nodes`, the list `nomad node status -json` prints. */
export interface NomadNode {
  Name: string
  CreateIndex?: number
  NodeClass?: string
  Status: string
  SchedulingEligibility?: string
  Drain?: boolean
  StatusDescription?: string
}

/** A client that re-registers keeps its old, `down` entry under the same name: judge the newest registration. */
export function newestByName(nodes: readonly NomadNode[]): Map<string, NomadNode> {
  const byName = new Map<string, NomadNode>()
  for (const node of nodes) {
    const seen = byName.get(node.Name)
    if (!seen || (node.CreateIndex ?? 0) > (seen.CreateIndex ?? 0)) byName.set(node.Name, node)
  }
  return byName
}

/** The API with the agent's own certificate as the client's (Nomad requires mTLS even for reads). */
function nomadProbe(context: HostContext, path: string) {
  const settings = nomadSettings(context.inventory, context.vars)
  return httpProbe({
    caFile: settings.caFile,
    certFile: settings.certPath,
    healthy: [200],
    keyFile: settings.keyPath,
    retrySeconds: 5,
    url: `https://${context.address}:${NOMAD_PORTS.http}${path}`,
  })
}

function firstAnswer(collected: readonly Collected[]): {body: string; host: string} | {problem: string} {
  const problems: string[] = []
  for (const {host, result} of collected) {
    const outcome = httpOutcome(result)
    if (outcome.ok && outcome.status === 200) return {body: outcome.body, host}
    problems.push(`${host}: ${outcome.ok ? `${outcome.status} ${outcome.body.trim().slice(0, 120)}` : outcome.problem}`)
  }
  return {problem: problems.join('; ') || 'no server selected'}
}

const leader: ClusterCheck = {
  collectFrom: ['nomad_server'],
  evaluate: (collected) => {
    const expected = 'the servers have a leader, and agree on it'
    const leaders = collected.map(({host, result}) => {
      const outcome = httpOutcome(result)
      const value = outcome.ok && outcome.status === 200 ? jsonBody<unknown>(outcome.body) : undefined
      return {host, leader: typeof value === 'string' && value !== '' ? value : undefined, outcome}
    })
    const distinct = new Set(leaders.map((entry) => entry.leader ?? 'none'))
    const observed = leaders
      .map(({host, leader, outcome}) => `${host}: ${leader ?? (outcome.ok ? 'no leader' : outcome.problem)}`)
      .join(', ')
    return distinct.size === 1 && !distinct.has('none')
      ? [pass('leader', expected, `${[...distinct][0]} (${leaders.length} servers agree)`)]
      : [fail('leader', expected, observed, 'nomad server members; journalctl -u nomad -n 50 on the servers')]
  },
  name: 'leader',
  probe: (context) => nomadProbe(context, '/v1/status/leader'),
  summary: 'The Nomad servers have one leader',
}

const clients: ClusterCheck = {
  collectFrom: ['nomad_server'],
  evaluate: (collected, {inventory}) => {
    const wanted = inventory.groupHosts('nomad_client')
    const gpu = new Set(inventory.groupHosts('nomad_client_gpu'))
    const expected = `${wanted.length} clients ready and eligible${gpu.size ? `, ${[...gpu].join(',')} with class gpu` : ''}`
    if (wanted.length === 0) return [skip('clients', expected, 'the inventory has no nomad_client group')]
    const answer = firstAnswer(collected)
    if ('problem' in answer)
      return [fail('clients', expected, answer.problem, 'is nomad running on the servers? goldentooth test nomad')]
    const nodes = jsonBody<NomadNode[]>(answer.body)
    if (!Array.isArray(nodes)) return [fail('clients', expected, `not a node list: ${answer.body.slice(0, 120)}`)]
    const byName = newestByName(nodes)
    const problems = wanted.flatMap((host) => {
      const node = byName.get(host)
      if (!node) return [`${host} not registered`]
      const issues: string[] = []
      if (node.Status !== 'ready')
        issues.push(`${host} ${node.Status}${node.StatusDescription ? ` (${node.StatusDescription})` : ''}`)
      if (node.SchedulingEligibility && node.SchedulingEligibility !== 'eligible')
        issues.push(`${host} ${node.SchedulingEligibility}`)
      if (node.Drain) issues.push(`${host} draining`)
      if (gpu.has(host) && node.NodeClass !== 'gpu') issues.push(`${host} class ${node.NodeClass || '(none)'}, not gpu`)
      return issues
    })
    const ready = nodes.filter((node) => node.Status === 'ready').length
    const observed = `${ready} of ${nodes.length} nodes ready (asked ${answer.host})`
    return problems.length === 0
      ? [pass('clients', expected, observed)]
      : [
          fail(
            'clients',
            expected,
            `${observed}: ${problems.join(', ')}`,
            'nomad node status; journalctl -u nomad -n 50 on the hosts named',
          ),
        ]
  },
  name: 'clients',
  probe: (context) => nomadProbe(context, '/v1/nodes'),
  summary: 'Every nomad_client host is registered, ready and eligible; GPU clients have class gpu',
}

export const NOMAD: Suite = {
  clusterChecks: [leader, clients],
  hostChecks: [
    unitCheck('nomad', ['nomad']),
    portsCheck('nomad', [NOMAD_PORTS.http, NOMAD_PORTS.rpc, NOMAD_PORTS.serf], ['nomad_server'], 'ports:server'),
    portsCheck('nomad', [NOMAD_PORTS.http], ['nomad_client'], 'ports:client'),
  ],
  name: 'nomad',
  summary: 'Nomad agents running; a leader; every client ready and eligible, GPU clients in class gpu.',
}
