import type {Vars} from '../../inventory/model.js'

import {InvalidInputError} from '../../core/errors.js'
import {given, setting} from '../vars.js'

export interface ZfsDataset {
  mountpoint: string
  name: string
}

/** The `zfs` inventory dict with the role's defaults. */
export interface ZfsSettings {
  /** zfs_arc_max: zfs.arc_max_mb in MiB, or the original's zfs.arc_max in bytes. */
  arcMaxBytes: number
  datasets: ZfsDataset[]
  device: string
  email?: string
  packages: string[]
  pool: string
  /** Snapshots sanoid keeps (the original's production template). */
  retention: {daily: number; hourly: number; monthly: number}
  /** How often the primary replicates to each other zfs host (systemd OnCalendar). */
  schedule: string
  /** The cluster's root SSH certificate and key (setup_ssh_certificates) that syncoid logs in with. */
  sshCertificate: string
  sshKey: string
}

const MIB = 1024 * 1024
/** ZFS ignores a zfs_arc_max below 64 MiB. */
const ARC_MIN_MIB = 64

/** The ARC limit: zfs.arc_max_mb (MiB) wins over the original's zfs.arc_max (bytes). */
function arcMaxBytes(vars: Vars): number {
  const host = vars.inventory_hostname as string
  if (given(vars, 'zfs.arc_max_mb') || !given(vars, 'zfs.arc_max')) {
    const megabytes = setting(vars, 'zfs.arc_max_mb', 128)
    if (!Number.isInteger(megabytes) || megabytes < ARC_MIN_MIB)
      throw new InvalidInputError(
        `zfs.arc_max_mb must be a whole number of MB, at least ${ARC_MIN_MIB} (ZFS ignores less), not ${megabytes} (${host})`,
      )
    return megabytes * MIB
  }
  const bytes = setting(vars, 'zfs.arc_max', 0)
  if (!Number.isInteger(bytes) || bytes < ARC_MIN_MIB * MIB)
    throw new InvalidInputError(
      `zfs.arc_max is in bytes and must be a whole number of at least ${ARC_MIN_MIB * MIB} (${ARC_MIN_MIB} MiB: ZFS ignores less), not ${bytes} (${host})`,
      undefined,
      Number.isInteger(bytes) && bytes >= ARC_MIN_MIB ? `for ${bytes} MB write zfs.arc_max_mb: ${bytes}` : undefined,
    )
  return bytes
}

export function zfsSettings(vars: Vars): ZfsSettings {
  const email = setting(vars, 'zfs.zed_email', '')
  return {
    arcMaxBytes: arcMaxBytes(vars),
    datasets: setting(vars, 'zfs.datasets', [] as ZfsDataset[]),
    device: setting(vars, 'zfs.pool.device', '/dev/sda'),
    ...(email === '' ? {} : {email}),
    packages: setting(vars, 'zfs.packages', ['zfsutils-linux', 'zfs-dkms', 'zfs-zed', 'sanoid']),
    pool: setting(vars, 'zfs.pool.name', 'rpool'),
    retention: {
      daily: setting(vars, 'zfs.sanoid.daily', 30),
      hourly: setting(vars, 'zfs.sanoid.hourly', 36),
      monthly: setting(vars, 'zfs.sanoid.monthly', 3),
    },
    schedule: setting(vars, 'zfs.replication_schedule', '*:0/15'),
    sshCertificate: setting(vars, 'zfs.ssh_certificate', '/etc/step/certs/root_ssh_key-cert.pub'),
    sshKey: setting(vars, 'zfs.ssh_key', '/etc/step/certs/root_ssh_key'),
  }
}
