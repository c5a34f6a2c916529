import type {Resource} from '../../engine/resources.js'
import type {Inventory} from '../../inventory/model.js'
import type {ClusterContext, Finding, HostContext, Role} from '../../engine/role.js'
import type {SlurmNode} from './nodes.js'
import type {SlurmSettings} from './settings.js'

import {RunError} from '../../core/errors.js'
import {directory, file, packages, service} from '../../engine/resources.js'
import {atLeastBytes, randomSecret} from '../../engine/secrets.js'
import meta from './meta.js'
import {addressOf, slurmNode} from './nodes.js'
import {SLURM_FIXED, slurmSettings} from './settings.js'

/** munged refuses a shorter key file (MUNGE_KEY_LEN_MIN_BYTES in MUNGE's munge_defs.h). */
const MUNGE_KEY_MINIMUM_BYTES = 32
const RUN_DIR = '/run/slurm'
const SLURMCTLD_PID_FILE = `${RUN_DIR}/slurmctld.pid`
const LOCAL_STATE = '/var/lib/slurm/slurmctld'
const SLURM = {group: 'slurm', owner: 'slurm'}
const MUNGE = {group: 'munge', owner: 'munge'}

const controllersOf = (context: {inventory: Inventory}) => context.inventory.groupHosts('slurm_controller')
const computeOf = (context: {inventory: Inventory}) => context.inventory.groupHosts('slurm_compute')

function stateSaveLocation(settings: SlurmSettings): string {
  return settings.nfsBasePath ? `${settings.nfsBasePath}/var/spool/slurm/ctld` : LOCAL_STATE
}

/** The MUNGE key is in place before munge is installed, so the package starts munged with it (no restart race). */
function munge(context: HostContext): Resource[] {
  return [
    {kind: 'group', name: 'munge'},
    {group: 'munge', home: '/nonexistent', kind: 'user', name: 'munge', shell: '/usr/sbin/nologin'},
    directory('/etc/munge', {...MUNGE, mode: 0o700}),
    file(SLURM_FIXED.mungeKey, context.secret('munge.key'), {
      ...MUNGE,
      mode: 0o400,
      notify: [{action: 'restart', service: 'munge'}],
      secret: true,
    }),
  ]
}

function config(context: HostContext, settings: SlurmSettings, nodes: SlurmNode[]): Resource[] {
  const controller = controllersOf(context).includes(context.host)
  const compute = computeOf(context).includes(context.host)
  const daemons = [...(controller ? ['slurmctld'] : []), ...(compute ? ['slurmd'] : [])]
  const restart = (services: string[]) => services.map((name) => ({action: 'restart' as const, service: name}))
  const gpuNodes = nodes.filter((node) => node.gres)
  const slurmConf = context.template('slurm.conf.j2', {
    cluster_name: settings.clusterName,
    controllers: controllersOf(context).map((name) => ({address: addressOf(context.inventory, name), name})),
    gres_types: gpuNodes.length > 0 ? 'gpu' : '',
    memory_margin_percent: settings.memoryMarginPercent,
    nodes,
    partitions: settings.partitions,
    proctrack_type: settings.proctrackType,
    slurmctld_pid_file: SLURMCTLD_PID_FILE,
    slurmctld_port: SLURM_FIXED.slurmctldPort,
    slurmd_port: SLURM_FIXED.slurmdPort,
    state_save_location: stateSaveLocation(settings),
  })
  return [
    file('/etc/tmpfiles.d/slurm.conf', context.template('tmpfiles.conf.j2', {run_dir: RUN_DIR})),
    directory(RUN_DIR, {...SLURM, mode: 0o755}),
    ...settings.localDirs.map((path) => directory(path, {...SLURM, mode: 0o755})),
    file('/etc/slurm/slurm.conf', slurmConf, {notify: restart(daemons)}),
    file('/etc/slurm/cgroup.conf', context.template('cgroup.conf.j2'), {notify: restart(daemons)}),
    ...(gpuNodes.length > 0
      ? [
          file('/etc/slurm/gres.conf', context.template('gres.conf.j2', {gpu_nodes: gpuNodes}), {
            notify: restart(daemons),
          }),
        ]
      : [{kind: 'absent' as const, path: '/etc/slurm/gres.conf'}]),
  ]
}

function controllerResources(context: HostContext, settings: SlurmSettings): Resource[] {
  const first = controllersOf(context)[0] === context.host
  const dirs = new Set([...(first ? settings.sharedDirs : []), stateSaveLocation(settings)])
  return [
    ...[...dirs].map((path) => directory(path, {...SLURM, mode: 0o755})),
    file(
      '/etc/systemd/system/slurmctld.service.d/override.conf',
      context.template('slurmctld-override.conf.j2', {slurmctld_pid_file: SLURMCTLD_PID_FILE}),
      {notify: [{action: 'restart', service: 'slurmctld'}]},
    ),
  ]
}

const STOPPED = {enabled: false, state: 'stopped'} as const

function plan(context: HostContext): Resource[] {
  const controller = controllersOf(context).includes(context.host)
  const compute = computeOf(context).includes(context.host)
  if (!controller && !compute) return ['slurmd', 'slurmctld', 'munge'].map((name) => service(name, STOPPED))
  const settings = slurmSettings(context.vars)
  const nodes = computeOf(context).map((host) =>
    slurmNode(context.inventory, host, context.factsOf(host), settings.memoryMarginPercent),
  )
  return [
    ...munge(context),
    packages(['munge', 'slurm-client', ...(controller ? ['slurmctld'] : []), ...(compute ? ['slurmd'] : [])]),
    ...config(context, settings, nodes),
    ...(controller ? controllerResources(context, settings) : []),
    service('munge'),
    service('slurmctld', controller ? {enabled: true, state: 'started'} : STOPPED),
    service('slurmd', compute ? {enabled: true, state: 'started'} : STOPPED),
  ]
}

function check(cluster: ClusterContext): Finding[] {
  const controllers = controllersOf(cluster)
  const compute = computeOf(cluster)
  if (compute.length === 0) return []
  if (controllers.length === 0) {
    return [{level: 'error', message: 'slurm_compute has hosts but slurm_controller is empty: name a controller'}]
  }
  for (const host of [...controllers, ...compute]) addressOf(cluster.inventory, host)
  const settings = slurmSettings(cluster.inventory.hostVars(controllers[0]!))
  if (settings.nfsBasePath) {
    return [
      {
        level: 'warning',
        message: `StateSaveLocation is on NFS (${stateSaveLocation(settings)}) so backup controllers share it; Slurm advises against NFS for it`,
      },
    ]
  }
  if (controllers.length > 1) {
    return [
      {
        level: 'warning',
        message: `StateSaveLocation is local (${LOCAL_STATE}): a backup controller that takes over starts without the primary's state (set slurm.nfs_base_path to share it)`,
      },
    ]
  }
  return []
}

export const slurmRole: Role = {
  applyFirst: (inventory) => controllersOf({inventory}),
  check,
  description:
    'MUNGE key from the operator secret store (0400 munge:munge); slurm.conf from the inventory and each node’s ' +
    'probed hardware; slurmctld on slurm_controller (converged first), slurmd on slurm_compute, both stopped and ' +
    'disabled elsewhere.',
  factsFrom: (inventory) => inventory.groupHosts('slurm_compute'),
  hosts: 'all',
  name: meta.name,
  plan,
  async prepare(context) {
    const unprobed = computeOf(context).filter((host) => context.factsOf(host).assumed)
    if (unprobed.length > 0) {
      throw new RunError(
        `slurm.conf needs the hardware of every slurm_compute host, and ${unprobed.join(', ')} could not be probed: nothing was changed`,
        'run again when they are reachable, or take them out of slurm_compute',
      )
    }
    return undefined
  },
  secrets: [
    {
      description: 'MUNGE key',
      generate: randomSecret(1024),
      name: 'munge.key',
      problem: atLeastBytes(MUNGE_KEY_MINIMUM_BYTES, 'munged'),
      replacing: 'every host then gets the new key, and munge restarts',
    },
  ],
  summary: meta.summary,
}
