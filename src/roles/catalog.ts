import type {Role} from '../engine/role.js'

/** A string option of one role's command (`setup_zfs --force-wipe /dev/sdb`); roles read it as context.options. */
export interface RoleOption {
  /** A value for the command's help examples. */
  example: string
  summary: string
}

/** Every role, as metadata only: a role's code is imported when its command runs (start-up stays fast). */
export interface RoleEntry {
  /** The command that runs it: setup_<name>, or the original cluster's name (configure_cluster). */
  command: string
  /** The role, or roles run one after another (a CA, then its clients). */
  load: () => Promise<Role[]>
  name: string
  /** Options only this role's command takes, by flag name. */
  options?: Record<string, RoleOption>
  summary: string
}

export const ROLES: RoleEntry[] = [
  {
    command: 'configure_cluster',
    load: async () => [(await import('./configure_cluster/index.js')).default],
    name: 'configure_cluster',
    summary:
      'Base OS for every node: hostname, /etc/hosts, time sync, kernel modules, sysctls, swap off, MOTD, root key.',
  },
  {
    command: 'setup_step_ca',
    load: async () => (await import('./step_ca/index.js')).STEP_CA_ROLES,
    name: 'step_ca',
    summary:
      'Cluster PKI: step-ca on the CA host, initialised once; the root trusted and step bootstrapped everywhere.',
  },
  {
    command: 'setup_ssh_certificates',
    load: async () => (await import('./ssh_certificates/index.js')).SSH_CERTIFICATE_ROLES,
    name: 'ssh_certificates',
    summary: 'SSH host and user certificates from the cluster CA; sshd and every node trust them (never a lock-out).',
  },
  {
    command: 'setup_cert_canary',
    load: async () => [(await import('./cert_canary/index.js')).default],
    name: 'cert_canary',
    summary: 'A short-lived certificate that fails loudly when renewal stops working.',
  },
  {
    command: 'setup_consul',
    load: async () => (await import('./consul/index.js')).default,
    name: 'consul',
    summary: 'Consul: odd server quorum, gossip encryption, step-ca TLS with auto-encrypt, ACLs bootstrapped once.',
  },
  {
    command: 'setup_vault',
    load: async () => (await import('./vault/index.js')).default,
    name: 'vault',
    summary: 'Vault: step-ca TLS, Consul (own token) or Raft storage, AWS KMS or Shamir seal (vault init/unseal).',
  },
  {
    command: 'setup_nomad',
    load: async () => (await import('./nomad/index.js')).default,
    name: 'nomad',
    summary: 'Nomad: odd server quorum, mTLS, Consul and Vault integration, GPU node class and NVIDIA device plugin.',
  },
  {
    command: 'setup_slurm',
    load: async () => [(await import('./slurm/index.js')).default],
    name: 'slurm',
    summary: 'Slurm with MUNGE: slurm.conf from facts, slurmctld on controllers, slurmd on compute nodes.',
  },
  {
    command: 'setup_gpu',
    load: async () => [(await import('./gpu/index.js')).default],
    name: 'gpu',
    summary: 'Detect NVIDIA GPUs, warn where inventory and hardware disagree, publish what Slurm and Nomad use.',
  },
  {
    command: 'setup_nfs_exports',
    load: async () => [(await import('./nfs_exports/index.js')).default],
    name: 'nfs_exports',
    summary: 'NFS exports from each nfs_server host’s nfs_exports (export roots 0755).',
  },
  {
    command: 'setup_nfs_mounts',
    load: async () => [(await import('./nfs_mounts/index.js')).default],
    name: 'nfs_mounts',
    summary: 'Automounted NFS shares on every host: .mount/.automount units from nfs.mounts.',
  },
  {
    command: 'setup_zfs',
    load: async () => [(await import('./zfs/index.js')).default],
    name: 'zfs',
    options: {
      'force-wipe': {
        example: '/dev/sda',
        summary:
          'Wipe this device (typed exactly as zfs.pool.device names it) and create the pool on it when it is not blank.',
      },
    },
    summary: 'ZFS with sanoid snapshots and syncoid replication; ARC limit in MB; pools only on blank devices.',
  },
  {
    command: 'setup_seaweedfs',
    load: async () => [(await import('./seaweedfs/index.js')).default],
    name: 'seaweedfs',
    summary: 'SeaweedFS masters (odd, at least three), volume servers and filers from the verified release binary.',
  },
]
