import type {Vars} from '../../inventory/model.js'

import {invalidVar, pathSetting, setting} from '../vars.js'

/** The `seaweedfs` inventory dict with the role's defaults. */
export interface SeaweedfsSettings {
  defaultReplication: string
  /** The data disk (the original's device and filesystem_type): named when mount_path is not a mount point. */
  device: string
  filerPort: number
  filesystemType: string
  gid: number
  masterPort: number
  /** The data disk's mount point; the data lives in child directories of it, never in the mount root. */
  mountPath: string
  uid: number
  user: string
  version: string
  volumeMax: number
  volumePort: number
  volumeSizeLimitMb: number
}

function whole(vars: Vars, name: string, fallback: number, min: number, max: number): number {
  const value = setting(vars, name, fallback)
  if (!Number.isInteger(value) || value < min || value > max)
    throw invalidVar(vars, `${name} must be a whole number from ${min} to ${max}, not ${value}`)
  return value
}

export function seaweedfsSettings(vars: Vars): SeaweedfsSettings {
  const user = setting(vars, 'seaweedfs.user', 'seaweedfs')
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(user))
    throw invalidVar(vars, `seaweedfs.user must be a user name such as seaweedfs, not '${user}'`)
  return {
    defaultReplication: setting(vars, 'seaweedfs.default_replication', '001'),
    device: pathSetting(vars, 'seaweedfs.device', '/dev/nvme0n1'),
    filerPort: whole(vars, 'seaweedfs.filer_port', 8888, 1, 65_535),
    filesystemType: setting(vars, 'seaweedfs.filesystem_type', 'ext4'),
    gid: whole(vars, 'seaweedfs.gid', 985, 1, 2_147_483_647),
    masterPort: whole(vars, 'seaweedfs.master_port', 9333, 1, 65_535),
    mountPath: pathSetting(vars, 'seaweedfs.mount_path', '/mnt/seaweedfs-nvme'),
    uid: whole(vars, 'seaweedfs.uid', 985, 1, 2_147_483_647),
    user,
    version: String(setting(vars, 'seaweedfs.version', '3.66')),
    volumeMax: whole(vars, 'seaweedfs.volume_max', 128, 1, 100_000),
    volumePort: whole(vars, 'seaweedfs.volume_port', 8080, 1, 65_535),
    volumeSizeLimitMb: whole(vars, 'seaweedfs.volume_size_limit_mb', 2048, 1, 30_000),
  }
}
