import type {RoleMeta} from '../role-module.js'

export default {
  name: 'slurm',
  summary: 'Slurm with MUNGE: slurm.conf from facts, slurmctld on controllers, slurmd on compute nodes.',
} satisfies RoleMeta
