import {execFileSync} from 'node:child_process'
import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'

export interface BadInventory {
  name: string
  /** What -i names, and the file the error must name. */
  path: string
  env?: Record<string, string>
}

/** Billion laughs: nine levels of nine aliases each. */
function aliasBomb(): string {
  const levels = [...'abcdefghi']
  const lines = levels.map(
    (name, i) => `    ${name}: &${name} [${Array(9).fill(i === 0 ? '"x"' : `*${levels[i - 1]}`)}]`,
  )
  return ['all:', '  vars:', ...lines, '  hosts:', '    web1:', ''].join('\n')
}

const TEXTS: Record<string, string> = {
  'tab-indented': 'all:\n\thosts:\n\t\tweb1:\n',
  'group cycle': 'all:\n  children:\n    a:\n      children:\n        b:\n          children:\n            a:\n',
  'ansible_port: x': 'all:\n  hosts:\n    web1:\n      ansible_host: 127.0.0.1\n      ansible_port: x\n',
  'children as a list': 'all:\n  children:\n    - web\n    - db\n',
  'misspelt children': 'all:\n  chilren:\n    web:\n      hosts:\n        web1:\n',
  empty: '',
  'alias bomb': aliasBomb(),
}

const VAULTED = 'vaulted.yaml'
const RIGHT_PASSWORD = 'right-password'
const WRONG_PASSWORD = 'wrong-password'

/** Ansible-style inventories in `dir` that are wrong in the ways an operator's can be (writeBadInventories makes them). */
export function badInventories(dir: string): BadInventory[] {
  return [
    ...Object.keys(TEXTS).map((name, i) => ({name, path: path.join(dir, `bad-${i}.yaml`)})),
    {
      env: {ANSIBLE_VAULT_PASSWORD_FILE: path.join(dir, WRONG_PASSWORD)},
      name: 'vault with a wrong password',
      path: path.join(dir, VAULTED),
    },
    {name: 'a path that does not exist', path: path.join(dir, 'no-such-inventory')},
  ]
}

export function writeBadInventories(dir: string): void {
  mkdirSync(dir, {recursive: true})
  for (const [i, text] of Object.values(TEXTS).entries()) writeFileSync(path.join(dir, `bad-${i}.yaml`), text)
  writeFileSync(path.join(dir, VAULTED), 'all:\n  hosts:\n    web1:\n      ansible_host: 127.0.0.1\n')
  writeFileSync(path.join(dir, RIGHT_PASSWORD), 'the right password\n')
  writeFileSync(path.join(dir, WRONG_PASSWORD), 'a wrong password\n')
  execFileSync('ansible-vault', ['encrypt', '--vault-password-file', path.join(dir, RIGHT_PASSWORD), VAULTED], {
    cwd: dir,
    stdio: 'ignore',
  })
}
