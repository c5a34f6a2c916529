import type {RoleMeta} from '../role-module.js'

export default {
  name: 'gpu',
  summary: 'Detect NVIDIA GPUs, warn where inventory and hardware disagree, publish what Slurm and Nomad use.',
} satisfies RoleMeta
