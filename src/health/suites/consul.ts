import type {ClusterCheck, Collected, HostCheck, HostContext, Suite, Verdict} from '../model.js'

import {CONSUL_PORTS, consulSettings} from '../../roles/consul/settings.js'
import {shq} from '../../transport/quote.js'
import {httpOutcome, httpProbe, jsonBody} from '../http.js'
import {portsCheck} from '../ports.js'
import {type JournalSign, unitCheck} from '../units.js'
import {fail, firstLine, pass, probeProblem, skip} from '../verdict.js'

const dataDir = (context: HostContext) => consulSettings(context.inventory, context.vars).optPath

/** Failures Consul logs that the original cluster hit, with their fixes (seed-spec §3.4). */
export const CONSUL_SIGNS: JournalSign[] = [
  {
    hint: ({context}) =>
      `the server was offline longer than server_rejoin_age_max (168h): goldentooth command_root ${context.host} 'rm -f ${dataDir(context)}/server_metadata.json*' then goldentooth command_root ${context.host} 'systemctl restart consul'`,
    pattern: /refusing to rejoin cluster because server has been offline/,
  },
  {
    hint: () =>
      "the client's agent token lacks node:write (auto-encrypt fails): goldentooth setup_consul renders the agent token into consul.hcl",
    pattern: /lacks permission 'node:write'/,
  },
]

const leaderUrl = (context: HostContext) => `http://${context.address}:${CONSUL_PORTS.http}/v1/status/leader`

/** `/v1/status/leader` answers `"10.4.0.13:8300"`, or `""` while there is no leader. */
export function leaderOf(body: string): string | undefined {
  const leader = jsonBody<unknown>(body)
  return typeof leader === 'string' && leader !== '' ? leader : undefined
}

const api: HostCheck = {
  evaluate: ({result}) => {
    const expected = `the agent answers /v1/status/leader on :${CONSUL_PORTS.http} with a leader`
    const outcome = httpOutcome(result)
    if (!outcome.ok) return [fail('api', expected, outcome.problem, 'journalctl -u consul -n 50')]
    const leader = leaderOf(outcome.body)
    return outcome.status === 200 && leader
      ? [pass('api', expected, `leader ${leader}`)]
      : [
          fail(
            'api',
            expected,
            `${outcome.status} ${outcome.body.trim() || '(empty)'}: no leader`,
            'consul operator raft list-peers on a server',
          ),
        ]
  },
  groups: ['consul'],
  name: 'api',
  probe: (context) => httpProbe({healthy: [200], retrySeconds: 5, url: leaderUrl(context)}),
  summary: "The local agent's HTTP API answers and knows the leader",
}

const leader: ClusterCheck = {
  collectFrom: ['consul_server'],
  evaluate: (collected) => {
    const expected = 'every server names the same leader'
    const seen = collected.map(({host, result}) => {
      const outcome = httpOutcome(result)
      return {host, leader: outcome.ok && outcome.status === 200 ? leaderOf(outcome.body) : undefined}
    })
    const leaders = new Set(seen.map((entry) => entry.leader ?? 'none'))
    const observed = seen.map((entry) => `${entry.host}: ${entry.leader ?? 'none'}`).join(', ')
    return leaders.size === 1 && !leaders.has('none')
      ? [pass('leader', expected, `${[...leaders][0]} (${seen.length} servers agree)`)]
      : [fail('leader', expected, observed, 'consul operator raft list-peers; journalctl -u consul on the servers')]
  },
  name: 'leader',
  probe: api.probe as (context: HostContext) => ReturnType<typeof httpProbe>,
  summary: 'One Consul leader, the same for every server',
}

export interface ConsulMember {
  node: string
  address: string
  status: string
  type: string
}

/** `consul members`: `Node Address Status Type Build Protocol DC Partition Segment` and one row per member. */
export function parseConsulMembers(text: string): ConsulMember[] {
  const lines = text.split('\n').filter((line) => line.trim() !== '')
  const header = lines.findIndex((line) => /^Node\s+Address\s+Status\s+Type/.test(line))
  if (header < 0) return []
  return lines.slice(header + 1).flatMap((line) => {
    const [node, address, status, type] = line.trim().split(/\s+/)
    return node && address && status && type ? [{address, node, status, type}] : []
  })
}

function membersVerdicts(
  collected: readonly Collected[],
  servers: readonly string[],
  all: readonly string[],
): Verdict[] {
  const expected = `${all.length} members alive (the consul group), ${servers.length} of them servers`
  const answer = collected.find(({result}) => result?.exitCode === 0 && parseConsulMembers(result.stdout).length > 0)
  if (!answer?.result) {
    const why = collected.map(
      ({host, result}) => `${host}: ${result ? (probeProblem(result, 'consul') ?? firstLine(result)) : 'no result'}`,
    )
    return [
      fail(
        'members',
        expected,
        why.join('; ') || 'no server answered',
        'is consul running on the servers? goldentooth test consul',
      ),
    ]
  }
  const members = parseConsulMembers(answer.result.stdout)
  const byName = new Map<string, ConsulMember>()
  for (const member of members) {
    if (byName.get(member.node)?.status !== 'alive') byName.set(member.node, member)
  }
  const problems = all.flatMap((host) => {
    const member = byName.get(host)
    if (!member) return [`${host} missing`]
    if (member.status !== 'alive') return [`${host} ${member.status}`]
    if (servers.includes(host) !== (member.type === 'server')) return [`${host} is a ${member.type}`]
    return []
  })
  const strangers = members
    .filter((member) => !all.includes(member.node) && member.status === 'alive')
    .map((m) => m.node)
  const observed = `${members.filter((m) => m.status === 'alive').length} alive of ${members.length} (asked ${answer.host})`
  return problems.length === 0
    ? [
        pass(
          'members',
          expected,
          `${observed}${strangers.length ? `; not in the inventory: ${strangers.join(', ')}` : ''}`,
        ),
      ]
    : [
        fail(
          'members',
          expected,
          `${observed}: ${problems.join(', ')}`,
          'journalctl -u consul -n 50 on the hosts named',
        ),
      ]
}

const members: ClusterCheck = {
  collectFrom: ['consul_server'],
  evaluate: (collected, {inventory}) => {
    const all = inventory.groupHosts('consul')
    if (all.length === 0) return [skip('members', 'consul members', 'the inventory has no consul group')]
    return membersVerdicts(collected, inventory.groupHosts('consul_server'), all)
  },
  name: 'members',
  probe: (context) => ({
    script: `[ -f /etc/profile.d/consul-env.sh ] && . /etc/profile.d/consul-env.sh
addr=\${CONSUL_HTTP_ADDR:-${shq(`http://${context.address}:${CONSUL_PORTS.http}`)}}
consul members -http-addr="$addr"`,
  }),
  summary: 'Every host of the consul group is an alive member; the consul_server hosts are servers',
}

export const CONSUL: Suite = {
  clusterChecks: [leader, members],
  hostChecks: [
    unitCheck('consul', ['consul'], CONSUL_SIGNS),
    portsCheck(
      'consul',
      [CONSUL_PORTS.server, CONSUL_PORTS.serfLan, CONSUL_PORTS.http],
      ['consul_server'],
      'ports:server',
    ),
    portsCheck('consul', [CONSUL_PORTS.serfLan, CONSUL_PORTS.http], ['consul_client'], 'ports:client'),
    api,
  ],
  name: 'consul',
  summary: 'Consul agents running and answering; one leader; every consul host an alive member.',
}
