import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {stringify} from 'yaml'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Fleet} from '../support/sshd.js'

import {runCli} from '../support/cli.js'
import {startSshFleet} from '../support/sshd.js'

/**
 * `cp` downloads from several hosts whose inventory names are hostile to a file system: `../escape` would leave the
 * destination, `node01` and `./node01` would share a directory. Three loopback OpenSSH servers stand in for them.
 */
let fleet: Fleet
let work: string
let inventory: string
let remote: string
let env: Record<string, string>

beforeAll(async () => {
  fleet = await startSshFleet(3)
  work = mkdtempSync(path.join(os.tmpdir(), 'gt-cp-e2e-'))
  inventory = path.join(work, 'inventory.yaml')
  const names = ['../escape', 'node01', './node01']
  const hosts = Object.fromEntries(names.map((name, i) => [name, fleet.hostVars[`host${i + 1}`]]))
  writeFileSync(inventory, stringify({all: {hosts}}))
  remote = path.join(fleet.dir, 'hostname')
  writeFileSync(remote, 'a node\n')
  env = {GOLDENTOOTH_STATE_DIR: path.join(work, 'state')}
})
afterAll(async () => {
  await fleet?.stopAll()
  rmSync(work, {force: true, recursive: true})
})

const gt = (args: string[]) => runCli(['-i', inventory, ...args], {env})

describe('cp from several hosts into a directory', () => {
  it('gives every host its own directory inside the destination, names encoded where they must be, and says so', async () => {
    const destination = path.join(work, 'out', 'fetched')
    const {exitCode, stdout} = await gt(['cp', `all:${remote}`, `${destination}/`])
    expect(exitCode).toBe(0)
    expect(readdirSync(destination).sort()).toEqual(['%2E%2Fnode01', '%2E.%2Fescape', 'node01'])
    for (const dir of readdirSync(destination))
      expect(readFileSync(path.join(destination, dir, 'hostname'), 'utf8')).toBe('a node\n')
    expect(readdirSync(path.join(work, 'out'))).toEqual(['fetched'])
    expect(existsSync(path.join(work, 'out', 'escape'))).toBe(false)
    expect(stdout).toContain(
      `../escape (1) | rc=0\n${remote} -> ${destination}/%2E.%2Fescape/hostname (host name percent-encoded as a directory name)\n`,
    )
    expect(stdout).toContain(
      `./node01 (1) | rc=0\n${remote} -> ${destination}/%2E%2Fnode01/hostname (host name percent-encoded as a directory name)\n`,
    )
    expect(stdout).toContain(`node01 (1) | rc=0\n${remote} -> ${destination}/node01/hostname\n`)
  })

  it('refuses a source that names a directory before connecting (exit 2)', async () => {
    for (const source of [`${fleet.dir}/`, `${fleet.dir}/.`, `${fleet.dir}/..`, '/']) {
      const {exitCode, stderr, stdout} = await gt(['cp', `all:${source}`, `${work}/refused/`])
      expect(exitCode).toBe(2)
      expect(stdout).toBe('')
      expect(stderr).toContain(`goldentooth: ${source} names a directory; cp copies files\n`)
    }
    expect(existsSync(path.join(work, 'refused'))).toBe(false)
  })

  it('leaves no partial file and no temporary file when a download fails', async () => {
    const destination = path.join(work, 'missing')
    const {exitCode, stdout} = await gt(['cp', `all:${fleet.dir}/no-such-file`, `${destination}/`])
    expect(exitCode).toBe(1)
    expect(stdout).toContain('cannot copy')
    for (const dir of readdirSync(destination)) expect(readdirSync(path.join(destination, dir))).toEqual([])
  })
})
