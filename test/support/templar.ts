import {execFileSync} from 'node:child_process'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {ansiblePython} from './ansible.js'

const ORACLE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'template_oracle.py')

/** Ansible's answer for one template: Python's repr() of the value, or the error (and whether it is an undefined). */
export type TemplarResult = {repr: string} | {error: string; undefined: boolean}

export interface TemplarRequest {
  inventory: string
  host: string
  /** Templated as variable values are (Templar.template). */
  templates?: string[]
  /** Rendered as the template module renders a file. */
  render?: string[]
}

/** Ask Ansible's own Templar (one Python process for all the templates). */
export function askTemplar(
  binary: string,
  request: TemplarRequest,
): {templates: TemplarResult[]; render: TemplarResult[]} {
  const out = execFileSync(ansiblePython(binary), [ORACLE], {
    encoding: 'utf8',
    env: {...process.env, ANSIBLE_LOCALHOST_WARNING: 'false'},
    input: JSON.stringify(request),
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'ignore'],
  })
  return JSON.parse(out) as {templates: TemplarResult[]; render: TemplarResult[]}
}
