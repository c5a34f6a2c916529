/**
 * No-op re-run of setup_slurm on the running lab (issue 6), against the original's figures: its setup_slurm took more
 * than 10 minutes and was not idempotent; the refactored setup_slurm_core took about 50 s (seed-spec.md §3.20).
 * Needs `goldentooth lab up`. Run: npm run build && flock /tmp/gt-lab.lock npx tsx bench/slurm-noop.ts [INVENTORY]
 */
import {execa} from 'execa'
import {writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import type {ConvergeReport} from '../src/engine/results.js'

import {loadInventory} from '../src/inventory/load.js'
import {race, timingTable} from './measure.js'

const REPETITIONS = 10
const root = path.resolve(import.meta.dirname, '..')
const inventory = path.resolve(process.argv[2] ?? path.join(root, 'inventory/lab'))
const loaded = await loadInventory(inventory)
const hosts = loaded.groupHosts('all').length
const slurmHosts = loaded.groupHosts('slurm').length
const cli = `node ${root}/bin/run.js -i ${inventory} setup_slurm`

await execa('bash', ['-c', cli], {stdio: 'inherit'})
const check = await execa('bash', ['-c', `${cli} --json`])
const summary = (JSON.parse(check.stdout) as ConvergeReport).summary
if (summary.changed !== 0 || summary.failed !== 0) throw new Error(`not a no-op: ${JSON.stringify(summary)}`)
const resources = (JSON.parse(check.stdout) as ConvergeReport).hosts.reduce(
  (sum, host) => sum + host.resources.length,
  0,
)

const [timing] = await race([{command: `${cli} --json`, name: 'goldentooth setup_slurm (no-op)'}], REPETITIONS)
const report = `# No-op re-run of setup_slurm

What: \`goldentooth -i inventory/lab setup_slurm\` when everything is already converged: ${hosts} lab nodes probed (${slurmHosts}
in the slurm groups: 3 controllers that are also compute nodes, 1 compute node; the 5th is checked for stray
daemons), ${resources} resources compared, nothing changed. One probe round trip per host, no apply round trip.
${REPETITIONS} runs after a warm-up, wall clock including the CLI's start-up. Machine: ${os.cpus().length} cores, Debian 12;
the nodes are systemd-nspawn containers on it. Reproduce:
\`goldentooth lab up && npm run build && flock /tmp/gt-lab.lock npx tsx bench/slurm-noop.ts\`.

${timingTable([timing!])}

Runs (s): ${timing!.runs.map((ms) => (ms / 1000).toFixed(2)).join(', ')}

| | time for a setup_slurm run with nothing to change |
|---|---|
| original \`setup_slurm\` (Ansible, before its refactor) | more than 10 minutes, and not idempotent (it also built Lmod, Go, Singularity and Conda) |
| original \`setup_slurm_core\` (Ansible, after the refactor) | about 50 s (9 nodes) |
| goldentooth \`setup_slurm\` | ${(timing!.median / 1000).toFixed(2)} s median (${slurmHosts} Slurm nodes of ${hosts} probed) |

The original's figures are for the real cluster over its network (seed-spec.md §3.20, §6); these are for the lab on one
machine, so the comparison is of orders of magnitude, not of the last second. The HPC software the original setup_slurm
also installed (Lmod, OpenMPI, Go, Singularity, Conda) is outside setup_slurm here, as it was outside setup_slurm_core.
`
await writeFile(path.join(root, 'bench/slurm-noop.md'), report)
process.stdout.write(report)
