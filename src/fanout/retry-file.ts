import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'

/** Write the hosts that did not succeed, one per line, for `--limit @FILE` (like Ansible's .retry files). */
export async function writeRetryFile(stateDir: string, hosts: readonly string[]): Promise<string> {
  const file = path.join(stateDir, 'retry')
  await mkdir(stateDir, {recursive: true})
  await writeFile(file, hosts.map((host) => `${host}\n`).join(''))
  const relative = path.relative(process.cwd(), file)
  return relative.startsWith('..') ? file : relative
}
