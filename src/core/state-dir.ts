import {statSync} from 'node:fs'
import path from 'node:path'

/** Where goldentooth keeps what it learns about one inventory (retry files, secrets): `.goldentooth/` beside its hosts. */
export function stateDirFor(inventoryPath: string): string {
  if (process.env.GOLDENTOOTH_STATE_DIR) return process.env.GOLDENTOOTH_STATE_DIR
  const resolved = path.resolve(inventoryPath)
  const dir = isDirectory(resolved) ? resolved : path.dirname(resolved)
  return path.join(dir, '.goldentooth')
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory()
  } catch {
    return false
  }
}
