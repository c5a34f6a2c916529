import {mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {describe, expect, it} from 'vitest'

import type {RoleMeta, RoleModule} from '../../src/roles/role-module.js'

import {renderRole} from '../../src/engine/render.js'
import {loadInventory} from '../../src/inventory/load.js'
import {ROLES} from '../../src/roles/catalog.js'
import {certCanaryRole} from '../../src/roles/cert_canary/role.js'

const ROLES_DIR = path.join(import.meta.dirname, '..', '..', 'src', 'roles')
const roleFolders = readdirSync(ROLES_DIR, {withFileTypes: true})
  .filter((entry) => entry.isDirectory() && entry.name !== 'shared')
  .map((entry) => entry.name)

const roleFile = (folder: string, file: string) => pathToFileURL(path.join(ROLES_DIR, folder, file)).href

/** Every TypeScript file under src/roles/, by its path there. */
function sources(): Array<{file: string; text: string}> {
  return readdirSync(ROLES_DIR, {encoding: 'utf8', recursive: true})
    .filter((file) => file.endsWith('.ts'))
    .map((file) => ({file, text: readFileSync(path.join(ROLES_DIR, file), 'utf8')}))
}

describe('the role contract', () => {
  it('every role folder is in the catalog, and its index.ts default-exports its meta with the roles it runs', async () => {
    expect(ROLES.map((entry) => entry.name).sort()).toEqual([...roleFolders].sort())
    for (const entry of ROLES) {
      const module = (await import(/* @vite-ignore */ roleFile(entry.name, 'index.ts'))) as {default: RoleModule}
      const {default: meta} = (await import(/* @vite-ignore */ roleFile(entry.name, 'meta.ts'))) as {default: RoleMeta}
      const {roles, ...metaOfModule} = module.default
      expect(metaOfModule).toEqual(meta)
      expect(entry).toMatchObject({name: meta.name, summary: meta.summary})
      expect(roles.length).toBeGreaterThan(0)
      expect((await entry.load()).map((role) => role.name)).toEqual(roles.map((role) => role.name))
    }
  })

  it('a meta.ts imports no code, so building the setup_<role> commands loads no role', () => {
    for (const folder of roleFolders) {
      const text = readFileSync(path.join(ROLES_DIR, folder, 'meta.ts'), 'utf8')
      expect(text.match(/^import (?!type ).*$/gm), `${folder}/meta.ts`).toBeNull()
    }
  })

  it('no unit, config block or script is a string in TypeScript: they come from templates/', () => {
    const inCode = sources().filter(({text}) => /\[(Unit|Service|Timer|Install)\]|#!\/bin\/sh/.test(text))
    expect(inCode.map(({file}) => file)).toEqual([])
  })
})

describe('templates of the shared role libraries', () => {
  it('are overridden by --templates DIR by their relative path, as a role template is', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gt-shared-templates-'))
    mkdirSync(path.join(dir, 'shared', 'pki'), {recursive: true})
    writeFileSync(path.join(dir, 'shared', 'pki', 'cert-renewer@.timer.j2'), 'OnCalendar={{ on_calendar }}\n')
    const inventory = await loadInventory('inventory')
    const [jast] = renderRole(certCanaryRole, inventory, ['jast'], {
      operator: {publicKeys: []},
      stateDir: '/nonexistent',
      templatesDir: dir,
    })
    const timer = jast!.files.find((file) => file.path === '/etc/systemd/system/cert-renewer@.timer')
    expect(timer?.content.toString('utf8')).toBe('OnCalendar=*:1/5\n')
  })
})
