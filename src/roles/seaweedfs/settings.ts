import type {Vars} from '../../inventory/model.js'

import {setting} from '../vars.js'

/** The `seaweedfs` inventory dict with the role's defaults. */
export interface SeaweedfsSettings {
  defaultReplication: string
  filerPort: number
  gid: number
  masterPort: number
  /** The data disk's mount point; the data lives in child directories of it, never in the mount root. */
  mountPath: string
  uid: number
  version: string
  volumeMax: number
  volumePort: number
  volumeSizeLimitMb: number
}

export function seaweedfsSettings(vars: Vars): SeaweedfsSettings {
  return {
    defaultReplication: setting(vars, 'seaweedfs.default_replication', '001'),
    filerPort: setting(vars, 'seaweedfs.filer_port', 8888),
    gid: setting(vars, 'seaweedfs.gid', 985),
    masterPort: setting(vars, 'seaweedfs.master_port', 9333),
    mountPath: setting(vars, 'seaweedfs.mount_path', '/mnt/seaweedfs-nvme'),
    uid: setting(vars, 'seaweedfs.uid', 985),
    version: String(setting(vars, 'seaweedfs.version', '3.66')),
    volumeMax: setting(vars, 'seaweedfs.volume_max', 128),
    volumePort: setting(vars, 'seaweedfs.volume_port', 8080),
    volumeSizeLimitMb: setting(vars, 'seaweedfs.volume_size_limit_mb', 2048),
  }
}
