import {existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import type {Resource} from '../../src/engine/resources.js'

import {compare} from '../../src/engine/compare.js'
import {parseProbe} from '../../src/engine/observed.js'
import {probeSpecFor} from '../../src/engine/probe-spec.js'
import {parseApplyOutput} from '../../src/engine/remote/apply-output.js'
import {applyScript} from '../../src/engine/remote/apply-script.js'
import {probeScript} from '../../src/engine/remote/probe-script.js'
import {directory, file} from '../../src/engine/resources.js'
import {runLocally, scratch} from './local-sh.js'

const identity = (text: string) => text

/** Probe, compare and apply `resources` with the local sh, as converge does on a host. */
function converge(
  resources: Resource[],
  paths: ReturnType<typeof scratch>['paths'],
  handlers = [] as Array<{action: 'reload' | 'restart'; unit: string}>,
) {
  const spec = probeSpecFor(resources)
  const observed = parseProbe(runLocally(probeScript(spec, paths)).stdout, spec)
  const planned = compare(resources, observed, identity)
  const steps = planned.flatMap((item, index) =>
    item.action ? [{action: item.action, index, unitChanged: false}] : [],
  )
  if (steps.length === 0 && handlers.length === 0) return {output: undefined, planned}
  const run = runLocally(applyScript({daemonReloadPending: false, handlers, staged: new Map(), steps}, paths))
  return {output: parseApplyOutput(run.stdout), planned, status: run.status}
}

describe('apply, run by the local sh', () => {
  it('creates files, directories and links, then a second run changes nothing', () => {
    const {dir, paths} = scratch()
    const resources: Resource[] = [
      directory(path.join(dir, 'etc/app'), {mode: 0o750}),
      file(path.join(dir, 'etc/app/app.conf'), 'port = 8080\nname = "it\'s $HOME"\n', {mode: 0o640}),
      file(path.join(dir, 'etc/app/key'), Buffer.from([0, 1, 2, 255]), {mode: 0o600, secret: true}),
      {kind: 'symlink', path: path.join(dir, 'current'), target: path.join(dir, 'etc/app')},
    ]
    const first = converge(resources, paths)
    expect(first.status).toBe(0)
    expect([...first.output!.steps.values()].map((step) => step.status)).toEqual([
      'changed',
      'changed',
      'changed',
      'changed',
    ])
    expect(readFileSync(path.join(dir, 'etc/app/app.conf'), 'utf8')).toBe('port = 8080\nname = "it\'s $HOME"\n')
    expect(statSync(path.join(dir, 'etc/app/app.conf')).mode & 0o7777).toBe(0o640)
    expect(statSync(path.join(dir, 'etc/app')).mode & 0o7777).toBe(0o750)
    expect([...readFileSync(path.join(dir, 'etc/app/key'))]).toEqual([0, 1, 2, 255])
    expect(readlinkSync(path.join(dir, 'current'))).toBe(path.join(dir, 'etc/app'))
    const second = converge(resources, paths)
    expect(second.output).toBeUndefined()
    expect(second.planned.map((item) => item.status)).toEqual(['ok', 'ok', 'ok', 'ok'])
  })

  it('keeps the previous version as a backup and fixes only attributes when content matches', () => {
    const {dir, paths} = scratch()
    const target = path.join(dir, 'motd')
    writeFileSync(target, 'old\n')
    converge([file(target, 'new\n')], paths)
    expect(readFileSync(path.join(paths.backupDir, target), 'utf8')).toBe('old\n')
    const {planned} = converge([file(target, 'new\n', {mode: 0o600})], paths)
    expect(planned[0]?.action?.op).toBe('attrs')
    expect(statSync(target).mode & 0o7777).toBe(0o600)
  })

  it('refuses a file its validation command rejects and stops the host there, leaving restarts pending', () => {
    const {dir, paths} = scratch()
    const guarded = path.join(dir, 'sshd_config')
    writeFileSync(guarded, 'good\n')
    const after = path.join(dir, 'after')
    const result = converge(
      [
        file(path.join(dir, 'a.conf'), 'a\n', {notify: [{action: 'restart', service: 'demo'}]}),
        file(guarded, 'bad\n', {validate: 'grep -q good %s'}),
        file(after, 'never\n'),
      ],
      paths,
      [{action: 'restart', unit: 'demo.service'}],
    )
    expect(result.status).toBe(1)
    const steps = result.output!.steps
    expect(steps.get(0)?.status).toBe('changed')
    expect(steps.get(1)).toMatchObject({status: 'failed'})
    expect(steps.get(1)?.message).toContain('validation refused')
    expect(steps.get(2)?.status).toBe('skipped')
    expect(readFileSync(guarded, 'utf8')).toBe('good\n')
    expect(existsSync(after)).toBe(false)
    expect(result.output!.handlers.size).toBe(0)
    expect(existsSync(path.join(paths.pendingDir, 'restart@demo.service'))).toBe(true)
  })

  it('edits one line and one block of a file, and leaves the rest alone', () => {
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
    converge(resources, paths)
    expect(readFileSync(config, 'utf8')).toBe(
      'Port 22\nPermitRootLogin prohibit-password\nUsePAM yes\n# BEGIN goldentooth ssh ca\nTrustedUserCAKeys /etc/ssh/ca.pub\n# END goldentooth ssh ca\n',
    )
    expect(converge(resources, paths).output).toBeUndefined()
  })

  it('runs guarded commands once and removes absent paths', () => {
    const {dir, paths} = scratch()
    const marker = path.join(dir, 'made')
    const stale = path.join(dir, 'consul.env')
    writeFileSync(stale, 'X=1\n')
    mkdirSync(path.join(dir, 'keep'))
    const resources: Resource[] = [
      {creates: marker, id: 'make it', kind: 'command', run: `echo made > ${marker}`},
      {kind: 'absent', path: stale},
    ]
    expect(converge(resources, paths).status).toBe(0)
    expect(readFileSync(marker, 'utf8')).toBe('made\n')
    expect(existsSync(stale)).toBe(false)
    expect(converge(resources, paths).output).toBeUndefined()
    expect(lstatSync(path.join(dir, 'keep')).isDirectory()).toBe(true)
  })
})
