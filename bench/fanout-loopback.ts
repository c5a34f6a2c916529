/**
 * First fan-out timing (issue 2): one command on ten real OpenSSH servers on loopback, with goldentooth, GNU parallel
 * + ssh, and Ansible ad-hoc (-f 10, pipelining on, no fact gathering), in one run, alternating the tools.
 * Run: npm run build && npx tsx bench/fanout-loopback.ts   (writes bench/results/fanout-loopback.md)
 */
import {mkdir, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {startSshFleet} from '../test/support/sshd.js'
import {race, timingTable} from './measure.js'

const HOSTS = 10
const REPETITIONS = 7
const root = path.resolve(import.meta.dirname, '..')
const fleet = await startSshFleet(HOSTS)
try {
  const names = fleet.hosts.map((host) => host.name).join(' ')
  const timings = await race(
    [
      {
        command: `node ${root}/bin/run.js -i ${fleet.inventoryPath} command all -- uptime`,
        env: {GOLDENTOOTH_SSH_CONFIG: fleet.sshConfigPath, GOLDENTOOTH_STATE_DIR: path.join(fleet.dir, 'state')},
        name: 'goldentooth command',
      },
      {command: `parallel -j0 --tag ssh -F ${fleet.sshConfigPath} {} uptime ::: ${names}`, name: 'GNU parallel + ssh'},
      {
        command: `ansible all -i ${fleet.inventoryPath} -m shell -a uptime -f ${HOSTS}`,
        env: {ANSIBLE_PIPELINING: 'True', ANSIBLE_GATHERING: 'explicit', ANSIBLE_LOCAL_TEMP: path.join(fleet.dir, 'ansible-tmp')},
        name: 'ansible -m shell',
      },
    ],
    REPETITIONS,
  )
  const report = `# Fan-out on ${HOSTS} loopback OpenSSH servers

\`uptime\` on ${HOSTS} real sshd processes on 127.0.0.x (this machine: ${os.cpus().length} cores, Node ${process.version}),
${REPETITIONS} alternating runs per tool after one warm-up, wall clock from spawn to exit (CLI start-up included).
Reproduce: \`npm run build && npx tsx bench/fanout-loopback.ts\`.

${timingTable(timings)}
`
  await mkdir(path.join(root, 'bench/results'), {recursive: true})
  await writeFile(path.join(root, 'bench/results/fanout-loopback.md'), report)
  process.stdout.write(report)
} finally {
  await fleet.stopAll()
}
