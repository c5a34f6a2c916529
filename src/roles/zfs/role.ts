import type {Resource} from '../../engine/resources.js'
import type {HostContext, Role} from '../../engine/role.js'
import type {PoolDecision} from './device.js'
import type {ZfsSettings} from './settings.js'

import {RunError, UsageError} from '../../core/errors.js'
import {shq} from '../../transport/quote.js'
import {file, packages, service} from '../../engine/resources.js'
import {hostAddress} from '../vars.js'
import {poolDecision, zfsFetches, zfsModuleMissing} from './device.js'
import meta from './meta.js'
import {zfsSettings} from './settings.js'

const ARC_PARAMETER = '/sys/module/zfs/parameters/zfs_arc_max'

/** The limit goes into modprobe.d before the packages load the module, and into the running module when it differs. */
function arcLimit(context: HostContext, settings: ZfsSettings): {config: Resource; runtime: Resource} {
  const bytes = settings.arcMaxBytes
  return {
    config: file(
      '/etc/modprobe.d/zfs.conf',
      context.template('modprobe-zfs.conf.j2', {arc_max_bytes: bytes, arc_max_mb: bytes / (1024 * 1024)}),
    ),
    runtime: {
      id: `zfs_arc_max ${bytes}`,
      kind: 'command',
      run: `echo ${bytes} > ${ARC_PARAMETER}`,
      unless: `[ "$(cat ${ARC_PARAMETER} 2>/dev/null)" = ${bytes} ]`,
    },
  }
}

function pool(settings: ZfsSettings, decision: PoolDecision | undefined): Resource[] {
  if (decision?.action === 'keep') return []
  const create = `zpool create ${shq(settings.pool)} ${shq(settings.device)}`
  const wipe = decision?.action === 'wipe'
  return [
    {
      id: `zpool ${settings.pool} on ${settings.device}${wipe ? ' (wiped first: --force-wipe)' : ''}`,
      kind: 'command',
      run: wipe
        ? `wipefs --all --force ${shq(settings.device)} && zpool create -f ${shq(settings.pool)} ${shq(settings.device)}`
        : create,
      unless: `zpool list -H ${shq(settings.pool)}`,
    },
  ]
}

function datasets(settings: ZfsSettings): Resource[] {
  return settings.datasets.map((dataset) => {
    const name = `${settings.pool}/${dataset.name}`
    return {
      id: `zfs dataset ${name}`,
      kind: 'command',
      run: `zfs create -o mountpoint=${shq(dataset.mountpoint)} ${shq(name)}`,
      unless: `zfs list -H -o name ${shq(name)}`,
    }
  })
}

/** The primary (first zfs host) snapshots and pushes to every other zfs host over the cluster's SSH certificates. */
function replication(context: HostContext, settings: ZfsSettings, primary: boolean): Resource[] {
  if (settings.datasets.length === 0) return []
  const vars = {datasets: settings.datasets, pool: settings.pool, schedule: settings.schedule}
  const peers = primary ? context.inventory.groupHosts('zfs').filter((host) => host !== context.host) : []
  return [
    file('/etc/systemd/system/syncoid@.service', context.template('syncoid@.service.j2', vars)),
    file('/etc/systemd/system/syncoid@.timer', context.template('syncoid@.timer.j2', vars)),
    ...(peers.length > 0
      ? [
          {
            block: context.template('ssh-config.j2', {
              certificate: settings.sshCertificate,
              key: settings.sshKey,
              peers: peers.map((name) => ({address: hostAddress(context.inventory.hostVars(name)) ?? name, name})),
            }),
            group: 'root',
            kind: 'block' as const,
            marker: 'goldentooth zfs replication',
            mode: 0o600,
            owner: 'root',
            path: '/root/.ssh/config',
          },
        ]
      : []),
    ...peers.map((peer) => service(`syncoid@${peer}.timer`)),
  ]
}

function plan(context: HostContext): Resource[] {
  const settings = zfsSettings(context.vars)
  const primary = context.inventory.groupHosts('zfs')[0] === context.host
  const decisions = context.prepared as Map<string, PoolDecision> | undefined
  const limit = arcLimit(context, settings)
  return [
    limit.config,
    packages(settings.packages),
    {kind: 'kernel-module', name: 'zfs'},
    limit.runtime,
    ...(settings.email
      ? [
          {
            group: 'root',
            kind: 'line' as const,
            line: `ZED_EMAIL_ADDR="${settings.email}"`,
            match: '^#?ZED_EMAIL_ADDR=',
            mode: 0o644,
            notify: [{action: 'restart' as const, service: 'zfs-zed'}],
            owner: 'root',
            path: '/etc/zfs/zed.d/zed.rc',
          },
        ]
      : []),
    service('zfs-zed'),
    ...pool(settings, decisions?.get(context.host)),
    ...(primary ? datasets(settings) : []),
    file('/etc/sanoid/sanoid.conf', context.template('sanoid.conf.j2', {...settings, primary})),
    service('sanoid.timer'),
    ...replication(context, settings, primary),
  ]
}

export const zfsRole: Role = {
  description:
    'Packages, ZED, the ARC limit (zfs.arc_max_mb in MB, or zfs.arc_max in bytes), the pool (created only when absent and its device is blank, ' +
    'or with --force-wipe DEVICE), datasets and sanoid snapshots on the first zfs host, syncoid replication from it to ' +
    'every other zfs host. Stops before changing anything where the zfs module cannot be loaded.',
  fetch: (inventory, hosts) => hosts.flatMap((host) => zfsFetches(host, zfsSettings(inventory.hostVars(host)).pool)),
  hosts: 'zfs',
  name: meta.name,
  plan,
  async prepare(context) {
    const forceWipe = context.options['force-wipe']
    const settings = new Map(context.hosts.map((host) => [host, zfsSettings(context.inventory.hostVars(host))]))
    if (forceWipe !== undefined && ![...settings.values()].some((s) => s.device === forceWipe)) {
      const devices = [...settings].map(([host, s]) => `${host}: ${s.device}`).join(', ')
      throw new UsageError(
        `--force-wipe ${forceWipe} names no pool device of these hosts (${devices})`,
        'type the device exactly as zfs.pool.device names it',
      )
    }
    const refusals: string[] = []
    const decisions = new Map<string, PoolDecision>()
    for (const host of context.hosts) {
      const fetched = (path: string) => context.fetched(host, path)
      const missing = zfsModuleMissing(context.factsOf(host), fetched)
      if (missing) {
        refusals.push(`${host}: ${missing}`)
        continue
      }
      const decision = poolDecision(context.factsOf(host), fetched, settings.get(host)!, forceWipe)
      if (decision.action === 'refuse') refusals.push(`${host}: ${decision.reason}`)
      decisions.set(host, decision)
    }
    if (refusals.length > 0) {
      throw new RunError(
        `ZFS cannot be set up: ${refusals.join('; ')}; nothing was changed`,
        forceWipe === undefined && refusals.some((r) => r.includes('is not blank'))
          ? 'to destroy what is on the device and create the pool there, add --force-wipe DEVICE'
          : undefined,
      )
    }
    return decisions
  },
  summary: meta.summary,
}
