import {existsSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

/** The directory holding goldentooth's package.json (works from src/ under tsx and from dist/ once built). */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  while (!existsSync(path.join(dir, 'package.json')) || !existsSync(path.join(dir, 'templates'))) {
    const parent = path.dirname(dir)
    if (parent === dir) throw new Error('cannot find the goldentooth package root')
    dir = parent
  }
  return dir
}
