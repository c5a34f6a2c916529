import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const ORACLE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'ansible_oracle.py')

/** Where the `ansible` CLI is, or undefined when it is not installed. */
export function ansibleBinary(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v ansible'], {encoding: 'utf8'}).trim() || undefined
  } catch {
    return undefined
  }
}

/** The Python that runs Ansible (its shebang): a pyenv `python3` on PATH may not have the ansible module. */
export function ansiblePython(binary: string): string {
  const shebang = readFileSync(binary, 'utf8')
    .split('\n')[0]!
    .replace(/^#!\s*/, '')
  const [interpreter, ...args] = shebang.split(/\s+/)
  return interpreter!.endsWith('/env') ? args[0]! : interpreter!
}

export interface OracleRequest {
  inventory: string
  patterns?: [pattern: string, limit: string | null][]
  host_vars?: boolean
  vault_password_file?: string
  /** Walk deep groups in insertion order (goldentooth's choice) instead of Python set order. */
  ordered_walk?: boolean
}

export type OracleResult = {hosts: string[]} | {error: string}

export interface OracleAnswer {
  patterns: OracleResult[]
  vars: Record<string, Record<string, unknown>>
}

/** Ask Ansible's own Python API (InventoryManager, VariableManager); PYTHONHASHSEED varies its set iteration order. */
export function askAnsible(binary: string, request: OracleRequest, seed = 0): OracleAnswer {
  const out = execFileSync(ansiblePython(binary), [ORACLE], {
    encoding: 'utf8',
    env: {
      ...process.env,
      ANSIBLE_LOCALHOST_WARNING: 'false',
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONHASHSEED: String(seed),
    },
    input: JSON.stringify(request),
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'ignore'],
  })
  return JSON.parse(out) as OracleAnswer
}

/** `ansible -i INV PATTERN --list-hosts [--limit L]`: the host list, or undefined when Ansible refused. */
export function ansibleListHosts(
  binary: string,
  inventory: string,
  pattern: string,
  limit?: string,
): string[] | undefined {
  try {
    const out = execFileSync(binary, ['-i', inventory, pattern, '--list-hosts', ...(limit ? ['--limit', limit] : [])], {
      encoding: 'utf8',
      env: {...process.env, ANSIBLE_LOCALHOST_WARNING: 'false'},
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    return out
      .split('\n')
      .slice(1)
      .map((line) => line.trim())
      .filter((line) => line !== '')
  } catch {
    return undefined
  }
}
