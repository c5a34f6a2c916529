import type {Vars} from '../../inventory/model.js'

import {InvalidInputError} from '../../cli/errors.js'
import {setting} from '../vars.js'

export interface ZfsDataset {
  mountpoint: string
  name: string
}

/** The `zfs` inventory dict with the role's defaults. */
export interface ZfsSettings {
  /** The ARC limit in MiB, as the operator means it; zfs_arc_max takes bytes (arcMaxBytes). */
  arcMaxMb: number
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

/** 128 MB means 128 MiB: 134217728 bytes (the original wrote 1073741824, 1 GiB, while calling it 128 MB). */
export function arcMaxBytes(megabytes: number): number {
  return megabytes * 1024 * 1024
}

export function zfsSettings(vars: Vars): ZfsSettings {
  const host = vars.inventory_hostname as string
  if (setting(vars, 'zfs', {} as Record<string, unknown>).arc_max !== undefined) {
    throw new InvalidInputError(
      `zfs.arc_max is not read: give the ARC limit in MB as zfs.arc_max_mb (${host})`,
      undefined,
      'the original wrote 1073741824 (1 GiB) while meaning 128 MB; zfs.arc_max_mb: 128 renders 134217728',
    )
  }
  const email = setting(vars, 'zfs.zed_email', '')
  return {
    arcMaxMb: setting(vars, 'zfs.arc_max_mb', 128),
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
