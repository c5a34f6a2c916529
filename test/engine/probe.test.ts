import {createHash} from 'node:crypto'
import {chmodSync, mkdirSync, symlinkSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {parseProbe} from '../../src/engine/observed.js'
import {probeSpecFor} from '../../src/engine/probe-spec.js'
import {probeScript} from '../../src/engine/remote/probe-script.js'
import {directory, file, packages} from '../../src/engine/resources.js'
import {runLocally, scratch} from './local-sh.js'

describe('the probe script, run by the local sh', () => {
  const {dir, paths} = scratch()
  const text = path.join(dir, 'config.txt')
  writeFileSync(text, 'hello\nwörld\n')
  chmodSync(text, 0o640)
  const secret = path.join(dir, 'secret.key')
  writeFileSync(secret, 'hunter2\n')
  const empty = path.join(dir, 'empty.conf')
  writeFileSync(empty, '')
  mkdirSync(path.join(dir, 'sub'))
  symlinkSync('/etc/hostname', path.join(dir, 'link'))
  mkdirSync(paths.pendingDir)
  writeFileSync(path.join(paths.pendingDir, 'restart@consul.service'), '')
  writeFileSync(path.join(paths.pendingDir, 'daemon-reload'), '')

  const spec = probeSpecFor([
    file(text, 'x'),
    file(path.join(dir, 'missing'), 'x'),
    file(secret, 'x', {secret: true}),
    file(empty, 'x'),
    directory(path.join(dir, 'sub')),
    {kind: 'symlink', path: path.join(dir, 'link'), target: '/etc/hostname'},
    {group: 'root', home: '/root', kind: 'user', name: 'root', shell: '/bin/bash'},
    {group: 'x', home: '/x', kind: 'user', name: 'no-such-user-gt', shell: '/bin/false'},
    {kind: 'group', name: 'root'},
    {kind: 'group', name: 'no-such-group-gt'},
    packages(['bash', 'no-such-package-gt']),
    {kind: 'sysctl', name: 'kernel.ostype', value: 'Linux'},
    {kind: 'kernel-module', name: 'overlay'},
    {creates: text, id: 'created', kind: 'command', run: 'true'},
    {id: 'guarded', kind: 'command', run: 'true', unless: 'test "$(echo 2)" = 3'},
  ])
  const {status, stdout} = runLocally(probeScript(spec, paths))
  const observed = parseProbe(stdout, spec)

  it('runs cleanly and reports facts', () => {
    expect(status).toBe(0)
    expect(observed.facts.cpus).toBeGreaterThan(0)
    expect(observed.facts.memoryMb).toBeGreaterThan(100)
    expect(observed.facts.architecture).toBe('amd64')
    expect(observed.facts.os.id).toBe('debian')
    expect(observed.facts.now).toBeGreaterThan(1_700_000_000)
  })

  it('reads files with content, hash, mode and owner; directories; symlinks; absent paths', () => {
    const state = observed.paths.get(text)
    expect(state).toMatchObject({exists: true, group: 'root', mode: 0o640, owner: 'root', size: 13, type: 'file'})
    expect(state?.exists && state.content?.toString('utf8')).toBe('hello\nwörld\n')
    expect(state?.exists && state.sha256).toBe(createHash('sha256').update('hello\nwörld\n').digest('hex'))
    expect(observed.paths.get(path.join(dir, 'missing'))).toEqual({exists: false})
    expect(observed.paths.get(empty)).toMatchObject({content: Buffer.alloc(0), size: 0, type: 'file'})
    expect(observed.paths.get(path.join(dir, 'sub'))).toMatchObject({exists: true, type: 'directory'})
    expect(observed.paths.get(path.join(dir, 'link'))).toMatchObject({
      exists: true,
      linkTarget: '/etc/hostname',
      type: 'symlink',
    })
  })

  it('reads only the hash of a secret file, never its content', () => {
    const state = observed.paths.get(secret)
    expect(state).toMatchObject({exists: true, sha256: createHash('sha256').update('hunter2\n').digest('hex')})
    expect(state?.exists && state.content).toBeUndefined()
    expect(stdout).not.toContain('hunter2')
    expect(stdout).not.toContain(Buffer.from('hunter2\n').toString('base64'))
  })

  it('reads users, groups, packages, sysctls, modules and command guards', () => {
    expect(observed.users.get('root')).toEqual({group: 'root', home: '/root', shell: '/bin/bash', uid: 0})
    expect(observed.users.get('no-such-user-gt')).toBeNull()
    expect(observed.groups.get('root')).toBe(true)
    expect(observed.groups.get('no-such-group-gt')).toBe(false)
    expect(observed.packages.get('bash')?.installed).toBe(true)
    expect(observed.packages.has('no-such-package-gt')).toBe(false)
    expect(observed.sysctls.get('kernel.ostype')).toBe('Linux')
    expect(observed.modules.get('overlay')).toBe('loaded')
    expect(observed.guards.get('created')).toEqual({createsExists: true})
    expect(observed.guards.get('guarded')).toEqual({unlessStatus: 1})
  })

  it('reads restarts left pending by an interrupted run', () => {
    expect(observed.pending).toEqual([{action: 'restart', service: 'consul.service'}])
    expect(observed.daemonReloadPending).toBe(true)
  })
})
