import {execa} from 'execa'
import {readFile} from 'node:fs/promises'
import path from 'node:path'

import type {Cli} from './cli.js'

export interface StartupTiming {
  command: string
  max: number
  mean: number
  median: number
  min: number
  name: string
  runs: number
}

/** 4. Start-up with hyperfine: no shell in between (-N), 3 warm-ups; the shipped 17-node inventory, offline. */
export async function startup(cli: Cli, runs: number): Promise<StartupTiming[]> {
  const commands: Array<[string, string]> = [
    ['goldentooth --version', `${cli.command} --version`],
    ['goldentooth --help', `${cli.command} --help`],
    ['goldentooth -i inventory inventory hosts all', `${cli.command} -i ${cli.dir}/inventory inventory hosts all`],
    [
      'goldentooth __complete -- -i inventory command consul_server:!ja',
      `${cli.command} __complete -- -i ${cli.dir}/inventory command consul_server:!ja`,
    ],
  ]
  const file = path.join(cli.work, 'hyperfine.json')
  await execa('hyperfine', [
    '-N',
    '--warmup',
    '3',
    '--runs',
    String(runs),
    '--export-json',
    file,
    ...commands.flatMap(([name, command]) => ['-n', name, command]),
  ])
  type Result = {max: number; mean: number; median: number; min: number; times: number[]}
  const {results} = JSON.parse(await readFile(file, 'utf8')) as {results: Result[]}
  return results.map((result, index) => ({
    command: commands[index]![1].replaceAll(cli.dir, '$COPY'),
    max: result.max * 1000,
    mean: result.mean * 1000,
    median: result.median * 1000,
    min: result.min * 1000,
    name: commands[index]![0],
    runs: result.times.length,
  }))
}
