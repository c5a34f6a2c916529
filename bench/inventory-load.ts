/**
 * Inventory loading at scale: wall time and peak RSS of `goldentooth -i DIR inventory hosts all` for a generated
 * Ansible-style inventory (test/support/generated-inventory.ts) and for the shipped inventory/. Build first.
 *
 *   npm run build && npx tsx bench/inventory-load.ts                  # 10,000 hosts
 *   npx tsx bench/inventory-load.ts --hosts 1000,10000,30000 --keep   # several sizes; keep the generated inventories
 */
import {execa} from 'execa'
import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {parseArgs} from 'node:util'

import {ROOT} from '../test/support/cli.js'
import {writeGeneratedInventory} from '../test/support/generated-inventory.js'

interface Measurement {
  cpuSeconds: number
  exitCode: number
  hosts: number
  maxRssMb: number
  seconds: number
}

/** One run under GNU time: elapsed wall time, CPU time (steadier on a shared machine) and maximum resident set size. */
async function measure(inventory: string): Promise<Measurement> {
  const run = await execa(
    '/usr/bin/time',
    [
      '-f',
      '%e %U %S %M',
      process.execPath,
      path.join(ROOT, 'bin/run.js'),
      '-i',
      inventory,
      'inventory',
      'hosts',
      'all',
    ],
    {env: {NO_COLOR: '1'}, reject: false},
  )
  const [seconds, user, system, kb] = String(run.stderr).trim().split('\n').at(-1)!.split(' ').map(Number)
  const hosts = String(run.stdout).split('\n').filter(Boolean).length
  const cpuSeconds = user! + system!
  return {cpuSeconds, exitCode: run.exitCode ?? -1, hosts, maxRssMb: Math.round(kb! / 1024), seconds: seconds!}
}

const {values} = parseArgs({options: {hosts: {default: '10000', type: 'string'}, keep: {type: 'boolean'}}})
const rows: Array<[string, Measurement]> = [['shipped inventory/', await measure(path.join(ROOT, 'inventory'))]]
for (const count of values.hosts.split(',').map(Number)) {
  const dir = await mkdtemp(path.join(os.tmpdir(), `gt-inventory-${count}-`))
  await writeGeneratedInventory(dir, count)
  rows.push([`generated ${count} hosts (${dir})`, await measure(dir)])
  if (!values.keep) await rm(dir, {force: true, recursive: true})
}
for (const [name, m] of rows) {
  const cpu = `${m.cpuSeconds.toFixed(2)} s CPU`
  console.log(
    `${name}: ${m.seconds.toFixed(2)} s, ${cpu}, peak RSS ${m.maxRssMb} MB, exit ${m.exitCode}, ${m.hosts} hosts`,
  )
}
