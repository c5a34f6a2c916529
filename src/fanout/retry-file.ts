import path from 'node:path'

import {writeFileAtomically} from '../state/atomic-write.js'
import {STATE_DIR_ELSEWHERE} from '../state/file-errors.js'

/** Write the hosts that did not succeed, one per line, for `--limit @FILE` (like Ansible's .retry files). */
export async function writeRetryFile(stateDir: string, hosts: readonly string[]): Promise<string> {
  const file = path.join(stateDir, 'retry')
  writeFileAtomically(file, hosts.map((host) => `${host}\n`).join(''), {
    directoryMode: 0o700,
    elsewhere: STATE_DIR_ELSEWHERE,
  })
  const relative = path.relative(process.cwd(), file)
  return relative.startsWith('..') ? file : relative
}
