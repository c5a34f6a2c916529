import type {HostCheck, HostContext, Suite} from '../model.js'

import {zfsSettings} from '../../roles/zfs/settings.js'
import {shq} from '../../transport/quote.js'
import {isFirstOf} from '../service-vars.js'
import {unitCheck, unitProbe, unitVerdict} from '../units.js'
import {fail, firstLine, formatSeconds, pass, probeProblem} from '../verdict.js'

/** The replicated dataset: `zfs.pool.name`/`zfs.datasets[0].name` (rpool/data). */
export function replicatedDataset(context: HostContext): string {
  const {datasets, pool} = zfsSettings(context.vars)
  return `${pool}/${datasets[0]?.name ?? 'data'}`
}

/** `zpool list -H -o name,health` (tab separated). */
export function parsePoolHealth(text: string): Array<{health: string; name: string}> {
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 2 && fields[0])
    .map(([name = '', health = '']) => ({health, name}))
}

const POOL_MARK = '--- status ---'

const pools: HostCheck = {
  evaluate: ({result}) => {
    const expected = 'every pool ONLINE'
    const problem = probeProblem(result, 'zpool')
    if (problem || !result)
      return [fail('pools', expected, problem ?? 'no result', 'is ZFS installed? goldentooth setup_zfs')]
    const [list = '', status = ''] = result.stdout.split(`${POOL_MARK}\n`)
    const found = parsePoolHealth(list)
    if (found.length === 0)
      return [fail('pools', expected, firstLine(result) || 'no pools', 'goldentooth setup_zfs creates the pool')]
    const bad = found.filter((pool) => pool.health !== 'ONLINE')
    const observed = found.map((pool) => `${pool.name} ${pool.health}`).join(', ')
    if (bad.length === 0) return [pass('pools', expected, observed)]
    const detail = /^\s*status: (.*)$/m.exec(status)?.[1] ?? ''
    const action = /^\s*action: (.*)$/m.exec(status)?.[1] ?? 'zpool status -v'
    return [fail('pools', expected, `${observed}${detail ? `: ${detail}` : ''}`, action)]
  },
  groups: ['zfs'],
  name: 'pools',
  probe: () => ({script: `zpool list -H -o name,health\necho ${shq(POOL_MARK)}\nzpool status -x`}),
  summary: 'Every ZFS pool is ONLINE',
}

/** The primary (first zfs host) takes the snapshots: sanoid.timer. */
const sanoid: HostCheck = {
  evaluate: (input) =>
    isFirstOf(input.context, 'zfs') ? [unitVerdict('unit:sanoid.timer', 'sanoid.timer', input)] : [],
  groups: ['zfs'],
  name: 'unit:sanoid.timer',
  probe: (context) => (isFirstOf(context, 'zfs') ? unitProbe('sanoid.timer') : undefined),
  summary: 'sanoid.timer is active on the primary (the first zfs host), which takes the snapshots',
}

const replication: HostCheck = {
  evaluate: ({context, nowMs, result}) => {
    if (isFirstOf(context, 'zfs')) return []
    const dataset = replicatedDataset(context)
    const max = context.settings.zfsSnapshotMaxAgeSeconds
    const expected = `newest syncoid snapshot of ${dataset} younger than ${max} s (health_zfs_snapshot_max_age_seconds)`
    const problem = probeProblem(result, 'zfs')
    if (problem || !result) return [fail('replication', expected, problem ?? 'no result')]
    const snapshots = result.stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(([name, created]) => name?.includes('@syncoid_') && /^\d+$/.test(created ?? ''))
    const newest = snapshots.at(-1)
    if (!newest) {
      return [
        fail(
          'replication',
          expected,
          result.exitCode === 0 ? 'no syncoid snapshot' : firstLine(result),
          'systemctl list-timers syncoid@* on the primary',
        ),
      ]
    }
    const age = nowMs / 1000 - Number(newest[1])
    const observed = `${newest[0]} is ${formatSeconds(age)} old`
    return age <= max
      ? [pass('replication', expected, observed)]
      : [
          fail(
            'replication',
            expected,
            observed,
            `journalctl -u syncoid@${context.host} -n 30 on ${context.inventory.groupHosts('zfs')[0]}`,
          ),
        ]
  },
  groups: ['zfs'],
  name: 'replication',
  probe: (context) =>
    isFirstOf(context, 'zfs')
      ? undefined
      : {script: `zfs list -H -p -t snapshot -o name,creation -s creation ${shq(replicatedDataset(context))}`},
  summary: 'On each replica (every zfs host but the first), the newest replicated snapshot is recent',
}

export const ZFS: Suite = {
  clusterChecks: [],
  hostChecks: [unitCheck('zfs-zed', ['zfs']), pools, sanoid, replication],
  name: 'zfs',
  summary: 'ZFS pools ONLINE, snapshots taken on the primary and replicated recently to the others.',
}
