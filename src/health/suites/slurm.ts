import type {ClusterCheck, Collected, HostCheck, Suite} from '../model.js'

import {SLURM_FIXED} from '../../roles/slurm/settings.js'
import {portsCheck} from '../ports.js'
import {unitCheck} from '../units.js'
import {fail, firstLine, pass, probeProblem, skip} from '../verdict.js'

const credential: HostCheck = {
  evaluate: ({result}) => {
    const expected = 'munge -n | unmunge: STATUS Success'
    const problem = probeProblem(result, 'munge')
    if (problem || !result) return [fail('munge_credential', expected, problem ?? 'no result')]
    const status = /^STATUS:\s+(.*)$/m.exec(result.stdout)?.[1]
    return result.exitCode === 0 && status?.startsWith('Success')
      ? [pass('munge_credential', expected, status)]
      : [
          fail(
            'munge_credential',
            expected,
            status ?? firstLine(result),
            `systemctl status munge; is ${SLURM_FIXED.mungeKey} owned by munge, mode 0400?`,
          ),
        ]
  },
  groups: ['slurm'],
  name: 'munge_credential',
  probe: () => ({script: 'munge -n | unmunge'}),
  summary: 'MUNGE encodes and decodes a credential locally',
}

const mungeKey: ClusterCheck = {
  collectFrom: ['slurm'],
  evaluate: (collected) => {
    const expected = `the same ${SLURM_FIXED.mungeKey} on every Slurm host`
    const byHash = new Map<string, string[]>()
    const missing: string[] = []
    for (const {host, result} of collected) {
      const hash = result?.exitCode === 0 ? /^([0-9a-f]{64})\b/.exec(result.stdout)?.[1] : undefined
      if (hash) byHash.set(hash, [...(byHash.get(hash) ?? []), host])
      else missing.push(host)
    }
    const groups = [...byHash].map(([hash, hosts]) => `${hash.slice(0, 12)}…: ${hosts.join(',')}`)
    if (byHash.size === 1 && missing.length === 0) return [pass('munge_key', expected, `${groups[0]}`)]
    return [
      fail(
        'munge_key',
        expected,
        [...groups, ...(missing.length ? [`no key: ${missing.join(',')}`] : [])].join('; '),
        'goldentooth setup_slurm installs the MUNGE key of its state directory (secrets/munge.key) on every Slurm host',
      ),
    ]
  },
  name: 'munge_key',
  probe: () => ({script: `sha256sum ${SLURM_FIXED.mungeKey}`}),
  summary: 'Every Slurm host has the same MUNGE key (compared by SHA-256)',
}

/** `scontrol ping`: `Slurmctld(primary) at lab1 is UP` per configured controller. */
export function parseScontrolPing(text: string): Array<{host: string; role: string; up: boolean}> {
  return [...text.matchAll(/Slurmctld\((\w+)\) at (\S+) is (\w+)/g)].map((match) => ({
    host: match[2]!,
    role: match[1]!,
    up: match[3] === 'UP',
  }))
}

function firstOutput(collected: readonly Collected[], parse: (text: string) => unknown[]): Collected | undefined {
  return collected.find(({result}) => result && parse(result.stdout).length > 0)
}

const controller: ClusterCheck = {
  collectFrom: ['slurm_controller'],
  evaluate: (collected) => {
    const expected = 'every slurmctld (primary and backups) UP'
    const answer = firstOutput(collected, parseScontrolPing)
    if (!answer?.result) {
      const why = collected.map(
        ({host, result}) => `${host}: ${result ? firstLine(result) || 'no answer' : 'no result'}`,
      )
      return [
        fail(
          'controller',
          expected,
          why.join('; ') || 'no controller selected',
          'systemctl status slurmctld on the controllers',
        ),
      ]
    }
    const controllers = parseScontrolPing(answer.result.stdout)
    const observed = controllers.map((c) => `${c.host} (${c.role}) ${c.up ? 'UP' : 'DOWN'}`).join(', ')
    return controllers.every((c) => c.up)
      ? [pass('controller', expected, observed)]
      : [fail('controller', expected, observed, 'journalctl -u slurmctld -n 50 on the controllers marked DOWN')]
  },
  name: 'controller',
  probe: () => ({script: 'scontrol ping'}),
  summary: 'scontrol ping: every slurmctld answers',
}

export interface SlurmNode {
  name: string
  state: string
  reason: string
}

/** `sinfo -h -N -o '%N|%T|%E'`: one line per node and partition (`lab1|idle|none`, `lab4|drained|disk full`). */
export function parseSinfo(text: string): SlurmNode[] {
  const nodes = new Map<string, SlurmNode>()
  for (const line of text.split('\n')) {
    const [name, state, ...reason] = line.trim().split('|')
    if (name && state) nodes.set(name, {name, reason: reason.join('|'), state})
  }
  return [...nodes.values()]
}

const UNUSABLE = /^(down|drain|drained|draining|fail|failing|inval|unknown|future|not_responding)/
/** `*` is Slurm's "not responding"; the other suffixes (`~ # $ @ ^ -`) are power saving and reservations. */
const NOT_RESPONDING = /\*$/

const nodes: ClusterCheck = {
  collectFrom: ['slurm_controller'],
  evaluate: (collected, {inventory}) => {
    const wanted = inventory.groupHosts('slurm_compute')
    const expected = `${wanted.length} slurm_compute nodes known to slurmctld, none down, drained, failing or inval`
    if (wanted.length === 0) return [skip('nodes', expected, 'the inventory has no slurm_compute group')]
    const answer = firstOutput(collected, parseSinfo)
    if (!answer?.result) {
      const why = collected.map(
        ({host, result}) => `${host}: ${result ? firstLine(result) || 'no answer' : 'no result'}`,
      )
      return [fail('nodes', expected, why.join('; ') || 'no controller selected', 'systemctl status slurmctld')]
    }
    const byName = new Map(parseSinfo(answer.result.stdout).map((node) => [node.name, node]))
    const problems = wanted.flatMap((host) => {
      const node = byName.get(host)
      if (!node) return [`${host} unknown to slurmctld`]
      const state = node.state.toLowerCase()
      if (!UNUSABLE.test(state) && !NOT_RESPONDING.test(state)) return []
      const reason = node.reason && node.reason !== 'none' ? `: ${node.reason}` : ''
      return [`${host} ${node.state}${reason}`]
    })
    const observed = `${wanted.length - problems.length} of ${wanted.length} usable (asked ${answer.host})`
    return problems.length === 0
      ? [pass('nodes', expected, observed)]
      : [
          fail(
            'nodes',
            expected,
            `${observed}: ${problems.join('; ')}`,
            'fix the cause Slurm gives, then: scontrol update nodename=NODE state=resume (inval: RealMemory or CPUs above what slurmd -C reports)',
          ),
        ]
  },
  name: 'nodes',
  probe: () => ({script: "sinfo -h -N -o '%N|%T|%E'"}),
  summary:
    'Every slurm_compute node is known to slurmctld and none is down, drained, failing or inval (with the reason Slurm gives)',
}

export const SLURM: Suite = {
  clusterChecks: [mungeKey, controller, nodes],
  hostChecks: [
    unitCheck('munge', ['slurm']),
    credential,
    unitCheck('slurmctld', ['slurm_controller']),
    portsCheck('slurmctld', [SLURM_FIXED.slurmctldPort], ['slurm_controller']),
    unitCheck('slurmd', ['slurm_compute']),
    portsCheck('slurmd', [SLURM_FIXED.slurmdPort], ['slurm_compute']),
  ],
  name: 'slurm',
  summary: 'MUNGE and the Slurm daemons on their hosts; one MUNGE key; controllers UP; every compute node usable.',
}
