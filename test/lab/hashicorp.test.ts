import {zipSync} from 'fflate'
import {createHash} from 'node:crypto'
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {ensureLabUp, LAB_NODE_NAMES, runCli, ssh} from '../support/lab.js'
import {labUnavailable} from '../support/lab-context.js'

/**
 * setup_consul, setup_vault and setup_nomad on the lab, where HashiCorp's release zips cannot be downloaded: each run
 * must stop before it changes anything on any node, with a message naming the missing artifact. Nothing here runs
 * Consul, Vault or Nomad: their configuration is proven by rendering and validation (test/roles/{consul,vault,nomad}).
 */

const WATCHED = '/etc /opt /usr/local /var/lib/goldentooth /var/backups/goldentooth /var/cache/goldentooth'

let scratch: string
let env: Record<string, string>

/** Every file under the watched directories of every node that is newer than the reference file `mark` touched. */
async function changedSince(): Promise<Record<string, string>> {
  const changed: Record<string, string> = {}
  for (const node of LAB_NODE_NAMES) {
    const result = await ssh(
      node,
      `find ${WATCHED} -xdev -newer /run/goldentooth-hashicorp-test.mark 2>/dev/null | sort; getent passwd consul vault nomad; true`,
    )
    changed[node] = result.stdout
  }
  return changed
}

async function mark(): Promise<void> {
  for (const node of LAB_NODE_NAMES) await ssh(node, 'touch /run/goldentooth-hashicorp-test.mark')
  await new Promise((resolve) => setTimeout(resolve, 1100))
}

async function run(
  command: string,
  artifacts: string,
): Promise<{error: {hint?: string; message: string}; exitCode: number}> {
  const result = await runCli(['-i', 'inventory/lab', command, '--artifacts', artifacts, '--json'], {env})
  return {...(JSON.parse(result.stdout) as {error: {hint?: string; message: string}}), exitCode: result.exitCode}
}

describe.skipIf(labUnavailable())('HashiCorp roles on the lab without their release binaries', () => {
  let empty: string
  beforeAll(async () => {
    await ensureLabUp()
    scratch = mkdtempSync(path.join(os.tmpdir(), 'gt-hashicorp-lab-'))
    empty = mkdtempSync(path.join(scratch, 'artifacts-'))
    env = {
      GOLDENTOOTH_STATE_DIR: path.join(scratch, 'state'),
      XDG_CACHE_HOME: path.join(scratch, 'cache'),
    }
  })
  afterAll(async () => {
    for (const node of LAB_NODE_NAMES) await ssh(node, 'rm -f /run/goldentooth-hashicorp-test.mark')
    rmSync(scratch, {force: true, recursive: true})
  })

  it.each([
    ['setup_consul', 'consul 1.20.5 (amd64): consul_1.20.5_linux_amd64.zip', 'consul/1.20.5/consul_1.20.5'],
    ['setup_vault', 'vault 1.19.0 (amd64): vault_1.19.0_linux_amd64.zip', 'vault/1.19.0/vault_1.19.0'],
    ['setup_nomad', 'nomad 1.9.7 (amd64): nomad_1.9.7_linux_amd64.zip', 'nomad/1.9.7/nomad_1.9.7'],
  ])('%s stops before changing anything, naming %s', async (command, missing, url) => {
    await mark()
    const before = await changedSince()
    const result = await run(command, empty)
    expect(result.exitCode).toBe(1)
    expect(result.error.message).toBe(`missing artifact: ${missing}; nothing was changed on any host`)
    expect(result.error.hint).toContain(`https://releases.hashicorp.com/${url}_linux_amd64.zip`)
    expect(result.error.hint).toContain(`put them in --artifacts ${empty}`)
    expect(await changedSince()).toEqual(before)
    for (const node of Object.values(before)) expect(node).toBe('')
  })

  it('a release zip that does not match HashiCorp’s SHA256SUMS is refused the same way', async () => {
    const artifacts = mkdtempSync(path.join(scratch, 'tampered-'))
    const zip = zipSync({consul: Buffer.from('#!/bin/sh\necho not consul\n')})
    writeFileSync(path.join(artifacts, 'consul_1.20.5_linux_amd64.zip'), zip)
    const other = createHash('sha256').update('the real zip').digest('hex')
    writeFileSync(path.join(artifacts, 'consul_1.20.5_SHA256SUMS'), `${other}  consul_1.20.5_linux_amd64.zip\n`)
    await mark()
    const result = await run('setup_consul', artifacts)
    expect(result.exitCode).toBe(1)
    expect(result.error.message).toMatch(/^checksum mismatch for consul_1\.20\.5_linux_amd64\.zip: expected sha256 /)
    for (const node of Object.values(await changedSince())) expect(node).toBe('')
    expect(existsSync(path.join(scratch, 'cache', 'goldentooth', 'artifacts', 'derived'))).toBe(false)
  })
})
