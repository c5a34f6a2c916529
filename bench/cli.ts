import {execa} from 'execa'
import {cp, mkdir, mkdtemp, rm, symlink} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

/** A private copy of the built CLI, so that a `npm run build` elsewhere (it empties dist/) cannot break a run. */
export interface Cli {
  /**
   * The copy's root: bin/, dist/, oclif.manifest.json, package.json, templates/, inventory/, node_modules (a
   * symlink).
   */
  dir: string
  /** Shell words that start goldentooth from the copy: `node DIR/bin/run.js`. */
  command: string
  /** The directory for everything else a run keeps (rendered files, goldentooth's state, traces, profiles). */
  work: string
  remove(): Promise<void>
}

const COPIED = ['bin', 'dist', 'oclif.manifest.json', 'package.json', 'templates', 'inventory']

export async function privateCli(root: string): Promise<Cli> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'gt-bench-'))
  const dir = path.join(base, 'goldentooth')
  await mkdir(dir)
  for (const entry of COPIED) await cp(path.join(root, entry), path.join(dir, entry), {recursive: true})
  await symlink(path.join(root, 'node_modules'), path.join(dir, 'node_modules'))
  const work = path.join(base, 'work')
  await mkdir(work)
  const command = `node ${dir}/bin/run.js`
  // Fails here, not in the middle of a measurement, if dist/ was being rebuilt while it was copied.
  await execa('node', [`${dir}/bin/run.js`, '--version'])
  return {command, dir, remove: () => rm(base, {force: true, recursive: true}), work}
}
