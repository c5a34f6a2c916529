import {readdir, readFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import type {OperatorInfo} from './role.js'

/** Read once per run: the operator's public keys. */
export async function operatorInfo(): Promise<OperatorInfo> {
  const dir = path.join(os.homedir(), '.ssh')
  const names = await readdir(dir).catch(() => [] as string[])
  const keys = await Promise.all(
    names
      .filter((name) => /^id_[a-z0-9_-]+\.pub$/.test(name))
      .sort()
      .map((name) => readFile(path.join(dir, name), 'utf8')),
  )
  return {publicKeys: keys.map((key) => key.trim()).filter((key) => key !== '')}
}
