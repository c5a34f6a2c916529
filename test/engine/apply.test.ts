import {existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import type {EnginePaths} from '../../src/engine/remote/paths.js'
import type {Resource} from '../../src/engine/resources.js'

import {directory, file} from '../../src/engine/resources.js'
import {convergeLocally, testRole} from './converge-locally.js'
import {scratch} from './local-sh.js'

/** Converge `resources` on one host with the real pipeline (probe, plan, compare, apply, verify) and the local sh. */
async function converge(resources: Resource[], paths: EnginePaths) {
  const report = await convergeLocally(
    testRole(() => resources),
    ['local'],
    {paths},
  )
  return report.hosts[0]!
}

const statuses = (host: Awaited<ReturnType<typeof converge>>) => host.resources.map((resource) => resource.status)

describe('apply, run by the local sh', () => {
  it('creates files, directories and links, then a second run changes nothing', async () => {
    const {dir, paths} = scratch()
    const resources: Resource[] = [
      directory(path.join(dir, 'etc/app'), {mode: 0o750}),
      file(path.join(dir, 'etc/app/app.conf'), 'port = 8080\nname = "it\'s $HOME"\n', {mode: 0o640}),
      file(path.join(dir, 'etc/app/key'), Buffer.from([0, 1, 2, 255]), {mode: 0o600, secret: true}),
      {kind: 'symlink', path: path.join(dir, 'current'), target: path.join(dir, 'etc/app')},
    ]
    const first = await converge(resources, paths)
    expect(first.ok).toBe(true)
    expect(statuses(first)).toEqual(['changed', 'changed', 'changed', 'changed'])
    expect(readFileSync(path.join(dir, 'etc/app/app.conf'), 'utf8')).toBe('port = 8080\nname = "it\'s $HOME"\n')
    expect(statSync(path.join(dir, 'etc/app/app.conf')).mode & 0o7777).toBe(0o640)
    expect(statSync(path.join(dir, 'etc/app')).mode & 0o7777).toBe(0o750)
    expect([...readFileSync(path.join(dir, 'etc/app/key'))]).toEqual([0, 1, 2, 255])
    expect(readlinkSync(path.join(dir, 'current'))).toBe(path.join(dir, 'etc/app'))
    const second = await converge(resources, paths)
    expect(second.changed).toBe(0)
    expect(statuses(second)).toEqual(['ok', 'ok', 'ok', 'ok'])
  })

  it('keeps the previous version as a backup and fixes only attributes when content matches', async () => {
    const {dir, paths} = scratch()
    const target = path.join(dir, 'motd')
    writeFileSync(target, 'old\n')
    await converge([file(target, 'new\n')], paths)
    expect(readFileSync(path.join(paths.backupDir, target), 'utf8')).toBe('old\n')
    const attributes = await converge([file(target, 'new\n', {mode: 0o600})], paths)
    expect(attributes.resources[0]).toMatchObject({reasons: ['mode 0644 -> 0600'], status: 'changed'})
    expect(statSync(target).mode & 0o7777).toBe(0o600)
  })

  it('refuses a file its validation command rejects and stops the host there, leaving restarts pending', async () => {
    const {dir, paths} = scratch()
    const guarded = path.join(dir, 'sshd_config')
    writeFileSync(guarded, 'good\n')
    const after = path.join(dir, 'after')
    const host = await converge(
      [
        file(path.join(dir, 'a.conf'), 'a\n', {notify: [{action: 'restart', service: 'demo'}]}),
        file(guarded, 'bad\n', {validate: 'grep -q good %s'}),
        file(after, 'never\n'),
      ],
      paths,
    )
    expect(host.ok).toBe(false)
    expect(statuses(host)).toEqual(['changed', 'failed', 'skipped', 'skipped'])
    expect(host.resources[1]?.message).toContain('validation refused')
    expect(readFileSync(guarded, 'utf8')).toBe('good\n')
    expect(existsSync(after)).toBe(false)
    expect(host.resources[3]).toMatchObject({
      id: 'handler:restart@demo.service',
      message: 'not run: a change on this host failed (it will run on the next run)',
    })
    expect(existsSync(path.join(paths.pendingDir, 'restart@demo.service'))).toBe(true)
  })

  it('edits one line and one block of a file, and leaves the rest alone', async () => {
    const {dir, paths} = scratch()
    const config = path.join(dir, 'sshd_config')
    writeFileSync(config, 'Port 22\n#PermitRootLogin yes\nUsePAM yes\n')
    const ownership = {group: 'root', mode: 0o644, owner: 'root'}
    const resources: Resource[] = [
      {
        ...ownership,
        kind: 'line',
        line: 'PermitRootLogin prohibit-password',
        match: '^#?PermitRootLogin\\b',
        path: config,
      },
      {
        ...ownership,
        block: 'TrustedUserCAKeys /etc/ssh/ca.pub',
        kind: 'block',
        marker: 'goldentooth ssh ca',
        path: config,
      },
    ]
    await converge(resources, paths)
    expect(readFileSync(config, 'utf8')).toBe(
      'Port 22\nPermitRootLogin prohibit-password\nUsePAM yes\n# BEGIN goldentooth ssh ca\nTrustedUserCAKeys /etc/ssh/ca.pub\n# END goldentooth ssh ca\n',
    )
    expect((await converge(resources, paths)).changed).toBe(0)
  })

  it('runs guarded commands once and removes absent paths', async () => {
    const {dir, paths} = scratch()
    const marker = path.join(dir, 'made')
    const stale = path.join(dir, 'consul.env')
    writeFileSync(stale, 'X=1\n')
    mkdirSync(path.join(dir, 'keep'))
    const resources: Resource[] = [
      {creates: marker, id: 'make it', kind: 'command', run: `echo made > ${marker}`},
      {kind: 'absent', path: stale},
    ]
    expect((await converge(resources, paths)).ok).toBe(true)
    expect(readFileSync(marker, 'utf8')).toBe('made\n')
    expect(existsSync(stale)).toBe(false)
    expect((await converge(resources, paths)).changed).toBe(0)
    expect(lstatSync(path.join(dir, 'keep')).isDirectory()).toBe(true)
  })
})
