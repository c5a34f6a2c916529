import {readdirSync, statSync, type Dirent} from 'node:fs'
import {readdir} from 'node:fs/promises'
import path from 'node:path'

import {InvalidInputError} from '../core/errors.js'

// Ansible's INVENTORY_IGNORE_EXTS (REJECT_EXTS + .orig .ini .cfg .retry) and IGNORED_ALWAYS.
const IGNORED_EXTENSIONS = [
  '~',
  '.orig',
  '.ini',
  '.cfg',
  '.retry',
  '.pyc',
  '.pyo',
  '.swp',
  '.bak',
  '.rpm',
  '.md',
  '.txt',
  '.rst',
]
const IGNORED_NAMES = new Set(['host_vars', 'group_vars', 'vars_plugins'])
const YAML_EXTENSIONS = ['.yml', '.yaml', '.json']

export interface InventorySources {
  /** Directory holding group_vars/ and host_vars/ (the path itself, or the file's directory). */
  baseDir: string
  files: string[]
  /** Files in the directory that Ansible would hand to a non-YAML plugin; goldentooth skips them. */
  skipped: string[]
}

// Synchronous: a large inventory stats thousands of vars files, and a stat is far cheaper than a promise round trip.
function kind(file: string): 'file' | 'directory' | undefined {
  try {
    const info = statSync(file)
    return info.isDirectory() ? 'directory' : info.isFile() ? 'file' : undefined
  } catch {
    return undefined
  }
}

function ignored(name: string): boolean {
  return name.startsWith('.') || IGNORED_NAMES.has(name) || IGNORED_EXTENSIONS.some((ext) => name.endsWith(ext))
}

/**
 * The inventory files for a path: the file itself, or every regular file of the directory in name order except the
 * ones Ansible ignores. Sub-directories are not read (inventory/lab/ is a separate inventory).
 */
export async function findSources(source: string): Promise<InventorySources> {
  const what = kind(source)
  if (what === undefined) {
    throw new InvalidInputError(`inventory not found: ${source} (give -i PATH or set GOLDENTOOTH_INVENTORY)`)
  }
  if (what === 'file') return {baseDir: path.dirname(source), files: [source], skipped: []}
  const files: string[] = []
  const skipped: string[] = []
  for (const name of (await readdir(source)).sort()) {
    if (ignored(name)) continue
    const file = path.join(source, name)
    if (kind(file) !== 'file') continue
    const ext = path.extname(name)
    if (ext && !YAML_EXTENSIONS.includes(ext)) skipped.push(file)
    else files.push(file)
  }
  return {baseDir: source, files, skipped}
}

async function varsFilesIn(dir: string): Promise<string[]> {
  const found: string[] = []
  for (const name of (await readdir(dir)).sort()) {
    if (name.startsWith('.') || name.endsWith('~')) continue
    const file = path.join(dir, name)
    const ext = path.extname(name)
    const what = kind(file)
    if (what === 'directory' && !ext) found.push(...(await varsFilesIn(file)))
    else if (what === 'file' && (!ext || YAML_EXTENSIONS.includes(ext))) found.push(file)
  }
  return found
}

/** The entries of a group_vars/ or host_vars/ directory, read once for every name looked up in it. */
export type DirectoryListing = ReadonlyMap<string, Dirent>

export function listDirectory(dir: string): DirectoryListing {
  try {
    return new Map(readdirSync(dir, {withFileTypes: true}).map((entry) => [entry.name, entry]))
  } catch {
    return new Map()
  }
}

function listedKind(entry: Dirent): 'file' | 'directory' | undefined {
  return entry.isDirectory() ? 'directory' : entry.isFile() ? 'file' : undefined
}

/**
 * Ansible's find_vars_files(): `DIR/NAME`, `NAME.yml`, `NAME.yaml` or `NAME.json` (first found), or `NAME/` read in
 * order. A plain name is looked up in the directory's listing; only symbolic links and paths need a stat().
 */
export async function findVarsFiles(dir: string, name: string, listing: DirectoryListing): Promise<string[]> {
  if (name.startsWith('/')) return []
  const plain = !name.includes('/') && name !== '.' && name !== '..'
  for (const ext of ['', ...YAML_EXTENSIONS]) {
    const entry = listing.get(`${name}${ext}`)
    if (plain && !entry) continue
    const candidate = path.join(dir, `${name}${ext}`)
    const what = entry && !entry.isSymbolicLink() ? listedKind(entry) : kind(candidate)
    if (what === 'directory') return varsFilesIn(candidate)
    if (what === 'file') return [candidate]
  }
  return []
}
