import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'

import {connect} from '../../src/transport/ssh.js'
import {TRACE_ENV, type TraceLine} from '../../src/transport/trace.js'
import {startSshFleet, type Fleet} from '../support/sshd.js'
import {fleetTarget} from '../support/targets.js'

const OPTIONS = {connectTimeoutMs: 10_000, insecureAcceptHostKeys: false}

let fleet: Fleet
let dir: string

beforeAll(async () => {
  fleet = await startSshFleet(1)
  dir = mkdtempSync(join(tmpdir(), 'gt-trace-'))
})

afterEach(() => {
  delete process.env[TRACE_ENV]
})

afterAll(async () => {
  await fleet?.stopAll()
  rmSync(dir, {force: true, recursive: true})
})

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as TraceLine)

describe(`${TRACE_ENV}`, () => {
  it('appends one line per connection, exec channel and SFTP transfer, naming the host and nothing else', async () => {
    const file = join(dir, 'trace.jsonl')
    process.env[TRACE_ENV] = file
    const connection = await connect(await fleetTarget(fleet, 'host1'), OPTIONS)
    try {
      await connection.exec('echo secret-looking-argument')
      await connection.exec('true', {stdin: 'more'})
      const remote = join(fleet.dir, 'traced.txt')
      await connection.upload('content', remote)
      await connection.download(remote, join(dir, 'traced.txt'))
    } finally {
      await connection.close()
    }
    const traced = lines(file)
    expect(traced.map((line) => line.op)).toEqual(['connect', 'exec', 'exec', 'upload', 'download'])
    for (const line of traced) {
      expect(Object.keys(line).sort()).toEqual(['host', 'op', 'pid', 'time'])
      expect(line).toMatchObject({host: 'host1', pid: process.pid})
    }
    expect(readFileSync(file, 'utf8')).not.toContain('secret-looking-argument')
  })

  it('writes nothing when unset', async () => {
    const before = readdirSync(dir)
    const connection = await connect(await fleetTarget(fleet, 'host1'), OPTIONS)
    try {
      expect((await connection.exec('echo ok')).stdout).toBe('ok\n')
    } finally {
      await connection.close()
    }
    expect(readdirSync(dir)).toEqual(before)
  })
})
