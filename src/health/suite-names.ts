export const SUITE_NAMES = [
  'system',
  'time',
  'ssh',
  'certificates',
  'step_ca',
  'consul',
  'vault',
  'nomad',
  'slurm',
  'nfs',
  'zfs',
  'seaweedfs',
  'gpu',
] as const

export type SuiteName = (typeof SUITE_NAMES)[number]
