import {execa} from 'execa'
import {randomBytes} from 'node:crypto'
import {mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:https'
import path from 'node:path'
import {stringify} from 'yaml'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {VaultInitSecrets} from '../../../src/roles/vault/operator.js'
import type {Fleet} from '../../support/sshd.js'

import {runCli} from '../../support/cli.js'
import {startSshFleet} from '../../support/sshd.js'

/**
 * `vault init` and `vault unseal` through real OpenSSH servers on loopback and the real curl on the "host". No Vault
 * binary runs on this machine, so the API is a small HTTPS server that keeps Vault's documented sys/seal-status,
 * sys/init and sys/unseal behaviour (shares, threshold, progress): this proves the plumbing (SSH, curl with the
 * request on stdin, TLS verification against the cluster root, the secret store), not Vault itself.
 */

interface FakeVault {
  initialized: boolean
  keys: string[]
  progress: number
  requests: Array<{body: unknown; method: string; url: string}>
  sealed: boolean
  threshold: number
}

let fleet: Fleet
let server: Server
let inventory: string
let state: string
const vault: FakeVault = {initialized: false, keys: [], progress: 0, requests: [], sealed: true, threshold: 0}

function sealStatus() {
  return {
    initialized: vault.initialized,
    n: vault.keys.length,
    progress: vault.progress,
    sealed: vault.sealed,
    t: vault.threshold,
    type: 'shamir',
  }
}

function answer(method: string, url: string, body: Record<string, unknown>): [number, unknown] {
  if (method === 'GET' && url === '/v1/sys/seal-status') return [200, sealStatus()]
  if (method === 'PUT' && url === '/v1/sys/init') {
    if (vault.initialized) return [400, {errors: ['Vault is already initialized']}]
    vault.initialized = true
    vault.threshold = body.secret_threshold as number
    vault.keys = Array.from({length: body.secret_shares as number}, () => randomBytes(32).toString('base64'))
    return [
      200,
      {
        keys: vault.keys.map((k) => Buffer.from(k, 'base64').toString('hex')),
        keys_base64: vault.keys,
        root_token: 'hvs.fake-root-token',
      },
    ]
  }
  if (method === 'PUT' && url === '/v1/sys/unseal') {
    if (body.reset === true) vault.progress = 0
    else if (!vault.keys.includes(body.key as string)) return [400, {errors: ['invalid key']}]
    else if (++vault.progress >= vault.threshold) {
      vault.sealed = false
      vault.progress = 0
    }
    return [200, sealStatus()]
  }
  return [404, {errors: []}]
}

const gt = (args: string[]) =>
  runCli(['-i', inventory, ...args], {env: {GOLDENTOOTH_SSH_CONFIG: fleet.sshConfigPath, GOLDENTOOTH_STATE_DIR: state}})

beforeAll(async () => {
  fleet = await startSshFleet(1, {names: ['vault1']})
  const host = fleet.host('vault1')
  const dir = fleet.dir
  const openssl = (args: string[]) => execa('openssl', args, {cwd: dir})
  await openssl([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=test root',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  ])
  await openssl([
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-subj',
    '/CN=vault.service.consul',
    '-keyout',
    'vault.key',
    '-out',
    'vault.csr',
  ])
  writeFileSync(path.join(dir, 'san.ext'), `subjectAltName=IP:${host.address}\n`)
  await openssl([
    'x509',
    '-req',
    '-in',
    'vault.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    'san.ext',
    '-out',
    'vault.crt',
  ])
  server = createServer(
    {cert: readFileSync(path.join(dir, 'vault.crt')), key: readFileSync(path.join(dir, 'vault.key'))},
    (request, response) => {
      let text = ''
      request.on('data', (chunk: Buffer) => (text += chunk.toString()))
      request.on('end', () => {
        const body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>)
        vault.requests.push({body, method: request.method ?? '', url: request.url ?? ''})
        const [status, reply] = answer(request.method ?? '', request.url ?? '', body)
        response.writeHead(status, {'Content-Type': 'application/json'})
        response.end(JSON.stringify(reply))
      })
    },
  )
  await new Promise<void>((resolve) => server.listen(8200, host.address, resolve))
  const vars = fleet.hostVars.vault1!
  inventory = path.join(dir, 'vault-inventory.yaml')
  state = path.join(dir, 'state')
  writeFileSync(
    inventory,
    stringify({
      all: {
        children: {step_ca: {hosts: {vault1: null}}, vault: {hosts: {vault1: null}}},
        hosts: {vault1: vars},
        vars: {step_ca: {root_cert_path: path.join(dir, 'ca.crt')}},
      },
    }),
  )
})

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve))
  await fleet?.stopAll()
})

describe('vault init and vault unseal over SSH', () => {
  it('unseal before init says to initialise first', async () => {
    const result = await gt(['vault', 'unseal'])
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('goldentooth: no Vault keys in')
    expect(result.stderr).toContain('hint: initialise Vault first: goldentooth vault init')
  })

  it('init asks Vault for the shares and keeps every key and the root token in a 0600 file, printing none', async () => {
    const result = await gt(['vault', 'init', '--key-shares', '5', '--key-threshold', '3', '--json'])
    expect(result.exitCode).toBe(0)
    const file = path.join(state, 'secrets', 'vault-init.json')
    expect(JSON.parse(result.stdout)).toEqual({
      host: 'vault1',
      keyType: 'unseal',
      secretFile: file,
      shares: 5,
      threshold: 3,
    })
    expect(vault.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /v1/sys/seal-status', 'PUT /v1/sys/init'])
    expect(vault.requests[1]!.body).toEqual({secret_shares: 5, secret_threshold: 3})
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const stored = JSON.parse(readFileSync(file, 'utf8')) as VaultInitSecrets
    expect(stored).toMatchObject({
      host: 'vault1',
      keyType: 'unseal',
      keys: vault.keys,
      rootToken: 'hvs.fake-root-token',
      threshold: 3,
    })
    for (const key of vault.keys) expect(result.stdout + result.stderr).not.toContain(key)
    expect(result.stdout + result.stderr).not.toContain('hvs.fake-root-token')
  })

  it('a second init refuses and keeps the stored keys', async () => {
    const file = path.join(state, 'secrets', 'vault-init.json')
    const before = readFileSync(file, 'utf8')
    const result = await gt(['vault', 'init'])
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('goldentooth: Vault was initialised by goldentooth before: its keys are in')
    expect(readFileSync(file, 'utf8')).toBe(before)
  })

  it('unseal feeds the threshold of stored keys, then leaves an unsealed Vault alone', async () => {
    vault.requests.length = 0
    vault.progress = 1
    const first = await gt(['vault', 'unseal', '--json'])
    expect(first.exitCode).toBe(0)
    expect(JSON.parse(first.stdout)).toEqual({hosts: [{host: 'vault1', status: 'unsealed'}]})
    expect(vault.sealed).toBe(false)
    expect(vault.requests.map((r) => r.body)).toEqual([
      {},
      {reset: true},
      ...vault.keys.slice(0, 3).map((key) => ({key})),
    ])
    const second = await gt(['vault', 'unseal', '--json'])
    expect(JSON.parse(second.stdout)).toEqual({hosts: [{host: 'vault1', status: 'already-unsealed'}]})
  })

  it('a Vault whose TLS certificate the cluster root does not sign is not trusted', async () => {
    vault.sealed = true
    const other = path.join(fleet.dir, 'other-inventory.yaml')
    writeFileSync(
      other,
      readFileSync(inventory, 'utf8').replace(path.join(fleet.dir, 'ca.crt'), '/etc/ssl/certs/ca-certificates.crt'),
    )
    const result = await runCli(['-i', other, 'vault', 'unseal', '--json'], {
      env: {GOLDENTOOTH_SSH_CONFIG: fleet.sshConfigPath, GOLDENTOOTH_STATE_DIR: state},
    })
    expect(result.exitCode).toBe(1)
    const host = JSON.parse(result.stdout).hosts[0]
    expect(host).toMatchObject({host: 'vault1', status: 'failed'})
    expect(host.error).toMatch(/^vault1: curl: \(60\) SSL certificate problem/)
    expect(vault.sealed).toBe(true)
  })

  it('unseal refuses a keys file left empty by an interrupted init, saying what to do (exit 3)', async () => {
    const other = path.join(fleet.dir, 'interrupted-state')
    mkdirSync(path.join(other, 'secrets'), {recursive: true})
    writeFileSync(path.join(other, 'secrets', 'vault-init.json'), '')
    const result = await runCli(['-i', inventory, 'vault', 'unseal'], {
      env: {GOLDENTOOTH_SSH_CONFIG: fleet.sshConfigPath, GOLDENTOOTH_STATE_DIR: other},
    })
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toContain(
      `goldentooth: ${other}/secrets/vault-init.json does not hold Vault's keys (an empty file is left by a vault init that was interrupted)`,
    )
  })

  it('init with a state directory it cannot write stops before Vault is asked (exit 1)', async () => {
    const blocked = path.join(fleet.dir, 'blocked-state')
    writeFileSync(blocked, 'a file where the state directory should be')
    vault.requests.length = 0
    const result = await runCli(['-i', inventory, 'vault', 'init'], {
      env: {GOLDENTOOTH_SSH_CONFIG: fleet.sshConfigPath, GOLDENTOOTH_STATE_DIR: blocked},
    })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain(
      `goldentooth: cannot write ${blocked}/secrets/vault-init.json: part of its path is a file, not a directory`,
    )
    expect(vault.requests).toEqual([])
  })
})
