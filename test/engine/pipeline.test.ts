import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import type {Connect} from '../../src/fanout/session.js'
import type {HostContext} from '../../src/engine/role.js'

import {file} from '../../src/engine/resources.js'
import {ConnectError} from '../../src/transport/errors.js'
import {convergeLocally, recordingProgress, testRole} from './converge-locally.js'
import {connectLocally, LocalConnection} from './local-connection.js'
import {scratch} from './local-sh.js'

/** Each host writes its own file, `<dir>/<host>`: which hosts were applied shows on disk. */
function perHost(dir: string, content = (host: string) => `${host}\n`) {
  return testRole((context: HostContext) => [file(path.join(dir, context.host), content(context.host))])
}

const applied = (dir: string, hosts: readonly string[]) => hosts.filter((host) => existsSync(path.join(dir, host)))

const unreachable =
  (...hosts: string[]): Connect =>
  (host, signal) =>
    hosts.includes(host)
      ? Promise.reject(new ConnectError('refused', 'connection refused'))
      : connectLocally(host, signal)

/** Connections whose exec calls `onApply` as the apply script (the one that takes the host lock) starts. */
function onApply(lockFile: string, onApply: () => void): Connect {
  return async (host) => {
    const connection = new LocalConnection(host)
    const exec = connection.exec.bind(connection)
    connection.exec = async (command, options = {}) => {
      if (typeof options.stdin === 'string' && options.stdin.includes(lockFile)) onApply()
      return exec(command, options)
    }
    return connection
  }
}

function interrupt() {
  const first = new AbortController()
  const second = new AbortController()
  return {first, interrupt: {force: second.signal, signal: first.signal}, second}
}

describe('converge in-process: probe, prepare, plan, apply in waves', () => {
  it('--check reports what would change and changes nothing', async () => {
    const {dir, paths} = scratch()
    const {lines, progress} = recordingProgress()
    const report = await convergeLocally(perHost(dir), ['h1'], {check: true, paths, progress})
    expect(report.hosts[0]?.resources.map((resource) => resource.status)).toEqual(['would-change'])
    expect(report.summary).toMatchObject({changed: 1, check: true, hosts: 1})
    expect(lines).toEqual(['h1: 1 to change'])
    expect(applied(dir, ['h1'])).toEqual([])
  })

  it('an interrupt lets the running --serial batch finish and starts no other', async () => {
    const {dir, paths} = scratch()
    const {first, interrupt: run} = interrupt()
    const {lines, progress} = recordingProgress()
    const report = await convergeLocally(perHost(dir), ['h1', 'h2', 'h3'], {
      connect: onApply(paths.lockFile, () => first.abort('SIGINT')),
      interrupt: run,
      paths,
      progress,
      serial: {hosts: 1},
    })
    expect(applied(dir, ['h1', 'h2', 'h3'])).toEqual(['h1'])
    expect(report.hosts.map((host) => host.error ?? host.resources[0]?.status)).toEqual([
      'changed',
      'not run: interrupted',
      'not run: interrupted',
    ])
    expect(lines).toEqual(['h1: 1 changed', 'h2: failed: not run: interrupted', 'h3: failed: not run: interrupted'])
  })

  it('a second interrupt stops the running apply script', async () => {
    const {dir, paths} = scratch()
    const {first, interrupt: run, second} = interrupt()
    const slow = testRole(() => [{id: 'slow', kind: 'command', run: `sleep 30; touch ${path.join(dir, 'slept')}`}])
    const report = await convergeLocally(slow, ['h1'], {
      connect: onApply(paths.lockFile, () => {
        first.abort('SIGINT')
        setTimeout(() => second.abort('SIGINT'), 300)
      }),
      interrupt: run,
      paths,
    })
    expect(report.hosts[0]).toMatchObject({error: 'the apply script was stopped by a second interrupt', ok: false})
    expect(existsSync(path.join(dir, 'slept'))).toBe(false)
  })

  it('an interrupt before the probe reports every target as interrupted', async () => {
    const {dir, paths} = scratch()
    const {first, interrupt: run} = interrupt()
    first.abort('SIGTERM')
    const report = await convergeLocally(perHost(dir), ['h1', 'h2'], {interrupt: run, paths})
    expect(report.hosts.map((host) => host.error)).toEqual(['interrupted', 'interrupted'])
    expect(applied(dir, ['h1', 'h2'])).toEqual([])
  })

  describe('a failed --serial batch stops the rest', () => {
    const failingOnH1 = (dir: string) =>
      testRole((context) => [
        file(path.join(dir, context.host), `${context.host}\n`, context.host === 'h1' ? {validate: 'false'} : {}),
      ])

    it('with --serial: the hosts after it are not run', async () => {
      const {dir, paths} = scratch()
      const report = await convergeLocally(failingOnH1(dir), ['h1', 'h2', 'h3'], {paths, serial: {hosts: 1}})
      expect(report.hosts.map((host) => host.error ?? host.resources[0]?.status)).toEqual([
        'failed',
        'not run: an earlier --serial batch failed',
        'not run: an earlier --serial batch failed',
      ])
      expect(applied(dir, ['h1', 'h2', 'h3'])).toEqual([])
    })

    it('without it: every host runs', async () => {
      const {dir, paths} = scratch()
      const report = await convergeLocally(failingOnH1(dir), ['h1', 'h2', 'h3'], {forks: 1, paths})
      expect(report.hosts.map((host) => host.ok)).toEqual([false, true, true])
      expect(applied(dir, ['h1', 'h2', 'h3'])).toEqual(['h2', 'h3'])
    })

    it('a target the probe did not reach fails its batch', async () => {
      const {dir, paths} = scratch()
      const report = await convergeLocally(perHost(dir), ['h1', 'h2'], {
        connect: unreachable('h1'),
        paths,
        serial: {hosts: 1},
      })
      expect(report.hosts).toMatchObject([
        {error: 'connection refused', unreachable: true},
        {error: 'not run: an earlier --serial batch failed', unreachable: false},
      ])
      expect(report.summary).toMatchObject({failed: 1, unreachable: 1})
    })
  })

  it('applies the hosts the role applies first before the others', async () => {
    const {dir, paths} = scratch()
    const {lines, progress} = recordingProgress()
    const role = {...perHost(dir), applyFirst: () => ['h3']}
    await convergeLocally(role, ['h1', 'h2', 'h3'], {forks: 1, paths, progress})
    expect(lines).toEqual(['h3: 1 changed', 'h1: 1 changed', 'h2: 1 changed'])
  })

  it('probes the hosts whose facts the role reads; one that does not answer is a warning', async () => {
    const {dir, paths} = scratch()
    const role = testRole(
      (context) => [file(path.join(dir, context.host), `h8 ${context.factsOf('h8').assumed ? 'assumed' : 'probed'}\n`)],
      {factsFrom: () => ['h8', 'h9']},
    )
    const report = await convergeLocally(role, ['h1'], {connect: unreachable('h9'), others: ['h8', 'h9'], paths})
    expect(report.hosts.map((host) => host.host)).toEqual(['h1'])
    expect(readFileSync(path.join(dir, 'h1'), 'utf8')).toBe('h8 probed\n')
    expect(report.warnings).toEqual(['h9: not reachable for facts or files (connection refused); assumed facts used'])
  })

  it('probes again what the plan on probed facts adds', async () => {
    const {dir, paths} = scratch()
    writeFileSync(path.join(dir, 'probed'), 'there\n')
    const role = testRole((context) => [file(path.join(dir, context.facts.assumed ? 'assumed' : 'probed'), 'there\n')])
    const report = await convergeLocally(role, ['h1'], {paths})
    expect(report.hosts[0]?.resources).toMatchObject([{id: `file:${path.join(dir, 'probed')}`, status: 'ok'}])
  })

  it('prepares between probe and plan, with the fetched files, on the hosts the probe reached', async () => {
    const {dir, paths} = scratch()
    const source = path.join(dir, 'source')
    writeFileSync(source, 'fetched\n')
    const role = testRole((context) => [file(path.join(dir, context.host), String(context.prepared))], {
      fetch: () => [{host: 'h8', path: source}],
      prepare: async (context) => {
        const fetched = context.fetched('h8', source)?.toString('utf8')
        const {stdout} = await context.exec(context.hosts[0]!, 'echo executed')
        return `${context.hosts.join(',')} ${fetched}${stdout}`
      },
    })
    const report = await convergeLocally(role, ['h1', 'h2'], {connect: unreachable('h2'), others: ['h8'], paths})
    expect(report.hosts.map((host) => host.ok)).toEqual([true, false])
    expect(readFileSync(path.join(dir, 'h1'), 'utf8')).toBe('h1 fetched\nexecuted\n')
  })

  it('rolls back a change whose verification fails, over the run’s connection', async () => {
    const {dir, paths} = scratch()
    const config = path.join(dir, 'config')
    writeFileSync(config, 'good\n')
    const verify = {command: `grep -q good ${config}`, description: 'the config check'}
    const report = await convergeLocally(
      testRole(() => [file(config, 'bad\n', {verify})]),
      ['h1'],
      {paths},
    )
    expect(report.hosts[0]?.resources[0]?.status).toBe('failed')
    expect(report.hosts[0]?.resources[0]?.message).toMatch(
      /^the config check failed after this change \(.*\); restored the previous file \(restored .*\); the config check again$/,
    )
    expect(readFileSync(config, 'utf8')).toBe('good\n')
  })
})
