import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import type {PlannedResource} from '../../src/engine/compare.js'
import type {Observed} from '../../src/engine/observed.js'

import {file} from '../../src/engine/resources.js'
import {pendingVerifications, rollbackScript} from '../../src/engine/verify.js'
import {ENGINE_PATHS} from '../../src/engine/remote/paths.js'

const root = mkdtempSync(path.join(os.tmpdir(), 'gt-verify-'))
afterAll(() => rmSync(root, {force: true, recursive: true}))

const login = {command: 'true', description: 'a new SSH login works'}

function planned(resource: ReturnType<typeof file>): PlannedResource {
  return {id: `file:${resource.path}`, notify: [], reasons: [], resource, status: 'change', unitChanged: false}
}

describe('post-apply verification', () => {
  it('collects only changed resources that carry a verification, knowing which files existed', () => {
    const config = file(`${root}/etc/sshd_config`, 'x', {verify: login})
    const fresh = file(`${root}/etc/new.conf`, 'y', {verify: login})
    const plain = file(`${root}/etc/other`, 'z')
    const observed = {
      paths: new Map([[config.path, {exists: true, group: 'root', mode: 0o644, owner: 'root', size: 1, type: 'file'}]]),
    }
    const pending = pendingVerifications(
      [planned(config), planned(fresh), planned(plain)],
      [
        {id: `file:${config.path}`, status: 'changed', type: 'file'},
        {id: `file:${fresh.path}`, status: 'changed', type: 'file'},
        {id: `file:${plain.path}`, status: 'changed', type: 'file'},
      ],
      observed as unknown as Observed,
    )
    expect(pending).toEqual([
      {
        files: [
          {existed: true, id: `file:${config.path}`, notify: [], path: config.path},
          {existed: false, id: `file:${fresh.path}`, notify: [], path: fresh.path},
        ],
        verification: login,
      },
    ])
  })

  it('restores replaced files from the apply backups and removes files the run created', () => {
    const etc = path.join(root, 'etc')
    const backup = path.join(root, 'backup')
    mkdirSync(path.join(backup, etc), {recursive: true})
    mkdirSync(etc, {recursive: true})
    writeFileSync(path.join(etc, 'sshd_config'), 'AllowUsers nobody\n')
    writeFileSync(path.join(backup, etc, 'sshd_config'), 'PermitRootLogin prohibit-password\n')
    writeFileSync(path.join(etc, 'new.conf'), 'new\n')
    const script = rollbackScript(
      [
        {existed: true, id: 'a', notify: [], path: path.join(etc, 'sshd_config')},
        {existed: false, id: 'b', notify: [], path: path.join(etc, 'new.conf')},
      ],
      {...ENGINE_PATHS, backupDir: backup},
    )
    const output = execFileSync('sh', ['-c', script], {encoding: 'utf8'})
    expect(output).toBe(`restored ${etc}/sshd_config\nremoved ${etc}/new.conf\n`)
    expect(readFileSync(path.join(etc, 'sshd_config'), 'utf8')).toBe('PermitRootLogin prohibit-password\n')
    expect(existsSync(path.join(etc, 'new.conf'))).toBe(false)
  })

  it('fails when a backup is missing, and reloads the services the files notify', () => {
    const script = rollbackScript(
      [{existed: true, id: 'a', notify: [{action: 'reload', service: 'ssh'}], path: '/nonexistent/x'}],
      {
        ...ENGINE_PATHS,
        backupDir: path.join(root, 'none'),
      },
    )
    expect(script).toContain(
      'if systemctl is-active --quiet -- ssh.service; then systemctl reload-or-restart -- ssh.service',
    )
    const result = (() => {
      try {
        execFileSync('sh', ['-c', script.replace(/^if systemctl.*$/m, '')], {stdio: 'pipe'})
        return 0
      } catch (error) {
        return (error as {status: number}).status
      }
    })()
    expect(result).toBe(1)
  })
})
