import type {ResolvedArtifact} from '../../engine/artifacts.js'
import type {Notify, Resource} from '../../engine/resources.js'
import type {HostContext, Role} from '../../engine/role.js'
import type {SeaweedfsSettings} from './settings.js'

import {directory, file, service} from '../../engine/resources.js'
import {hostAddress} from '../vars.js'
import {resolveWeed} from './binary.js'
import {masterFindings, mastersOf} from './masters.js'
import meta from './meta.js'
import {seaweedfsSettings} from './settings.js'

const WEED = '/usr/local/bin/weed'
const STOPPED = {enabled: false, state: 'stopped'} as const

type Component = 'filer' | 'master' | 'volume'

function components(context: HostContext): Component[] {
  return [
    ...(mastersOf(context.inventory).includes(context.host) ? (['master'] as const) : []),
    'volume' as const,
    ...(context.inventory.groupHosts('seaweedfs_filer').includes(context.host) ? (['filer'] as const) : []),
  ]
}

function binary(context: HostContext, notify: Notify[]): Resource {
  const resolved = (context.prepared as Map<string, ResolvedArtifact> | undefined)?.get(context.facts.architecture)
  return {
    group: 'root',
    kind: 'artifact',
    localPath: resolved?.path ?? `(resolved at run time: weed for ${context.facts.architecture})`,
    mode: 0o755,
    notify,
    owner: 'root',
    path: WEED,
    sha256: resolved?.sha256 ?? '',
  }
}

/** A warning when the data directory's parent is not a mount point here (the data would land on the root disk). */
function checkMount(context: HostContext, settings: SeaweedfsSettings): void {
  if (context.facts.assumed) return
  const mounted = (disks: typeof context.facts.disks): boolean =>
    disks.some((disk) => disk.mountpoint === settings.mountPath || mounted(disk.children))
  if (!mounted(context.facts.disks)) {
    context.warn(
      `${settings.mountPath} is not a mount point here: SeaweedFS data would land on the root filesystem (mount ${settings.device}, ${settings.filesystemType}, there)`,
    )
  }
}

function plan(context: HostContext): Resource[] {
  const settings = seaweedfsSettings(context.vars)
  checkMount(context, settings)
  const mine = components(context)
  const masters = mastersOf(context.inventory)
  const dirs = {
    filer: `${settings.mountPath}/filer`,
    master: `${settings.mountPath}/master`,
    volume: `${settings.mountPath}/data`,
  }
  const vars = {
    address: hostAddress(context.vars) ?? context.host,
    data_dir: dirs.volume,
    default_replication: settings.defaultReplication,
    filer_dir: dirs.filer,
    filer_port: settings.filerPort,
    master_dir: dirs.master,
    master_port: settings.masterPort,
    masters,
    mservers: masters.map((host) => `${host}:${settings.masterPort}`).join(','),
    peers: masters.map((host) => `${host}:${settings.masterPort}`).join(','),
    user: settings.user,
    volume_max: settings.volumeMax,
    volume_port: settings.volumePort,
    volume_size_limit_mb: settings.volumeSizeLimitMb,
  }
  const unit = (component: Component) => `seaweedfs-${component}`
  const restartAll = mine.map((component) => ({action: 'restart' as const, service: unit(component)}))
  const absent = (['master', 'filer'] as const).filter((component) => !mine.includes(component))
  return [
    {gid: settings.gid, kind: 'group', name: settings.user},
    {
      group: settings.user,
      home: '/nonexistent',
      kind: 'user',
      name: settings.user,
      shell: '/usr/sbin/nologin',
      uid: settings.uid,
    },
    ...mine.map((component) => directory(dirs[component], {group: settings.user, mode: 0o755, owner: settings.user})),
    binary(context, restartAll),
    ...mine.map((component) =>
      file(`/etc/systemd/system/${unit(component)}.service`, context.template(`${unit(component)}.service.j2`, vars), {
        notify: [{action: 'restart', service: unit(component)}],
      }),
    ),
    ...mine.map((component) => service(unit(component))),
    ...absent.map((component) => service(unit(component), STOPPED)),
  ]
}

export const seaweedfsRole: Role = {
  check: (cluster) => masterFindings(cluster.inventory),
  description:
    'Masters from seaweedfs_master (default: the first three seaweedfs hosts; an odd number, at least three), a ' +
    'volume server on every seaweedfs host, a filer on seaweedfs_filer hosts. The weed binary is the verified ' +
    'release for each architecture (--artifacts DIR/seaweedfs-<version>/ on machines without internet).',
  hosts: 'seaweedfs',
  name: meta.name,
  plan,
  async prepare(context) {
    const {version} = seaweedfsSettings(context.inventory.hostVars(context.hosts[0]!))
    return resolveWeed(
      version,
      context.hosts.map((host) => context.factsOf(host).architecture),
      context,
    )
  },
  summary: meta.summary,
}
