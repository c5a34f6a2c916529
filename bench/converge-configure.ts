/**
 * No-op re-run of configure_cluster on the running lab (issue 4): goldentooth against the equivalent Ansible playbook
 * in bench/ansible/configure_cluster.yml (forks = number of hosts, pipelining on, no fact gathering), in one run,
 * alternating. Needs `goldentooth lab up`. Run: npm run build && npx tsx bench/converge-configure.ts [INVENTORY]
 */
import {execa} from 'execa'
import {mkdir, mkdtemp, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {loadInventory} from '../src/inventory/load.js'
import {race, timingTable} from './measure.js'

const REPETITIONS = 5
const root = path.resolve(import.meta.dirname, '..')
const inventory = path.resolve(process.argv[2] ?? path.join(root, 'inventory/lab'))
const hosts = (await loadInventory(inventory)).groupHosts('all').length
const cli = `node ${root}/bin/run.js -i ${inventory}`
const rendered = await mkdtemp(path.join(os.tmpdir(), 'gt-bench-rendered-'))
await execa('bash', ['-c', `${cli} render configure_cluster --out ${rendered} && ${cli} configure_cluster`], {stdio: 'inherit'})
const ansibleEnv = {ANSIBLE_PIPELINING: 'True', ANSIBLE_GATHERING: 'explicit', ANSIBLE_LOCAL_TEMP: path.join(rendered, 'ansible-tmp')}
await execa('ansible-playbook', ['-i', inventory, '-f', String(hosts), '-e', `rendered=${rendered}`, path.join(root, 'bench/ansible/configure_cluster.yml')], {
  env: ansibleEnv,
})
const timings = await race(
  [
    {command: `${cli} configure_cluster`, name: 'goldentooth configure_cluster'},
    {
      command: `ansible-playbook -i ${inventory} -f ${hosts} -e rendered=${rendered} ${root}/bench/ansible/configure_cluster.yml`,
      env: ansibleEnv,
      name: 'ansible-playbook (equivalent)',
    },
  ],
  REPETITIONS,
)
const report = `# No-op configure_cluster on the lab (${hosts} nodes)

Both tools find nothing to change. goldentooth: one probe round trip per host; Ansible: forks = ${hosts}, pipelining on,
no fact gathering, the same resources and file contents (bench/ansible/configure_cluster.yml). ${REPETITIONS}
alternating runs after a warm-up, wall clock including start-up. Machine: ${os.cpus().length} cores.
Reproduce: \`goldentooth lab up && npm run build && npx tsx bench/converge-configure.ts\`.

${timingTable(timings)}
`
await mkdir(path.join(root, 'bench/results'), {recursive: true})
await writeFile(path.join(root, 'bench/results/converge-configure.md'), report)
process.stdout.write(report)
