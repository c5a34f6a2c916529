import {execFile, execFileSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync} from 'node:fs'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'

import {ansiblePython} from './ansible.js'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const PLAYBOOK = path.join(HERE, 'ansible_playbook.py')
const WALK = path.join(HERE, 'ansible_walk.py')
const CACHE = path.join(tmpdir(), 'goldentooth-ansible-templating')
const VERSIONS =
  'import ansible.release, jinja2, yaml; print(ansible.release.__version__, jinja2.__version__, yaml.__version__)'

/** Templates for one inventory, each rendered by Ansible on every host. */
export interface Expressions {
  /** Render on every host. */
  values: string[]
  /**
   * Fail on at least one host, with the name the error must mention: the undefined variable, attribute or index, or
   * the variable that refers to itself.
   */
  failures: [template: string, name: string][]
}

export type Rendered = {value: unknown} | {error: string}

/** What Ansible made of each template, in the order given, by host. */
export type Renderings = Record<string, Rendered[]>

interface DebugResult {
  failed?: boolean
  msg?: unknown
  exception?: string
}

interface PlaybookOutput {
  plays: {tasks: {hosts: Record<string, DebugResult>}[]}[]
}

/** Debug runs on the controller: no connection is made. Nothing is read from or written to the real home. */
const ANSIBLE_CFG = (scratch: string): string =>
  [
    '[defaults]',
    'forks = 10',
    'gathering = explicit',
    'retry_files_enabled = False',
    'stdout_callback = json',
    `local_tmp = ${scratch}/tmp`,
    'deprecation_warnings = False',
    'localhost_warning = False',
    'nocolor = True',
    '',
  ].join('\n')

function files(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true})
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => {
      const file = path.join(dir, entry.name)
      return entry.isDirectory() ? files(file) : [file]
    })
}

function cacheKey(binary: string, inventory: string, templates: string[], forks: boolean): string {
  const hash = createHash('sha256')
  hash.update(execFileSync(ansiblePython(binary), ['-c', VERSIONS], {encoding: 'utf8'}))
  for (const file of [PLAYBOOK, WALK, ...files(inventory)]) hash.update(`${file}\0`).update(readFileSync(file))
  return hash.update(JSON.stringify({forks, templates})).digest('hex')
}

function collect(output: PlaybookOutput, count: number): Renderings {
  const tasks = output.plays[0]?.tasks ?? []
  if (tasks.length !== count) throw new Error(`ansible-playbook ran ${tasks.length} of ${count} debug tasks`)
  const renderings: Renderings = {}
  tasks.forEach((task, i) => {
    for (const [host, result] of Object.entries(task.hosts)) {
      const rendered: Rendered = result.failed
        ? {error: typeof result.msg === 'string' ? result.msg : (result.exception ?? JSON.stringify(result))}
        : {value: result.msg}
      ;(renderings[host] ??= [])[i] = rendered
    }
  })
  return renderings
}

async function runPlaybook(
  binary: string,
  inventory: string,
  templates: string[],
  forks: boolean,
): Promise<Renderings> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'gt-ansible-templating-'))
  try {
    await writeFile(path.join(scratch, 'ansible.cfg'), ANSIBLE_CFG(scratch))
    const tasks = templates.map((msg, i) => ({debug: {msg}, ignore_errors: true, name: String(i)}))
    await writeFile(path.join(scratch, 'play.json'), JSON.stringify([{gather_facts: false, hosts: 'all', tasks}]))
    const inherited = Object.entries(process.env).filter(([name]) => !name.startsWith('ANSIBLE_'))
    const {stdout} = await promisify(execFile)(
      ansiblePython(binary),
      [PLAYBOOK, '-i', inventory, path.join(scratch, 'play.json')],
      {
        cwd: scratch,
        encoding: 'utf8',
        env: {
          ...Object.fromEntries(inherited),
          ANSIBLE_CONFIG: path.join(scratch, 'ansible.cfg'),
          GOLDENTOOTH_ANSIBLE_FORKS: forks ? '1' : '0',
          HOME: scratch,
          PYTHONDONTWRITEBYTECODE: '1',
        },
        maxBuffer: 256 * 1024 * 1024,
      },
    )
    return collect(JSON.parse(stdout) as PlaybookOutput, templates.length)
  } finally {
    await rm(scratch, {force: true, recursive: true})
  }
}

/**
 * Render every template on every host of the inventory with Ansible itself: one `ansible-playbook` run of a play with
 * one `debug: msg=TEMPLATE` task per template (ignore_errors), read back through the json callback. Answers are kept
 * in the temporary directory under a hash of Ansible's version, the inventory's files and the templates.
 */
export async function renderWithAnsible(binary: string, inventory: string, templates: string[]): Promise<Renderings> {
  const forks = process.env.GOLDENTOOTH_ANSIBLE_FORKS === '1'
  const cached = path.join(CACHE, `${cacheKey(binary, inventory, templates, forks)}.json`)
  try {
    return JSON.parse(readFileSync(cached, 'utf8')) as Renderings
  } catch {
    const renderings = await runPlaybook(binary, inventory, templates, forks)
    mkdirSync(CACHE, {recursive: true})
    writeFileSync(`${cached}.${process.pid}`, JSON.stringify(renderings))
    renameSync(`${cached}.${process.pid}`, cached)
    return renderings
  }
}
