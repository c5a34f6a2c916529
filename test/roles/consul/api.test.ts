import {execa} from 'execa'
import {chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {changeCommands} from '../../../src/roles/shared/consul-acl/acl-step.js'
import {parseQueries, queryScript, requestCommand} from '../../../src/roles/shared/consul-acl/api.js'
import {agentToken} from '../../../src/roles/consul/tokens.js'

/**
 * The commands and queries run for real: POSIX sh and the real curl, against a local HTTP server standing in for
 * Consul's API (it answers with the recorded bodies of test/fixtures/consul-api). A curl wrapper on PATH logs every
 * argv, to prove no token or secret ID is ever in one.
 */

interface Seen {
  body: string
  headers: Record<string, string | string[] | undefined>
  method: string
  url: string
}

const MANAGEMENT = '45a3bd52-07c7-47a4-52fd-0745e0cfe967'
const token = agentToken(Buffer.alloc(32, 3), 'lab4', 'dc1')

let server: Server
let base: string
let scratch: string
let argvLog: string
const seen: Seen[] = []
let reply: (request: Seen) => {body: string; status: number} = () => ({body: '{}', status: 200})

/** Run a command resource's body the way the apply script does: a function whose output is captured. */
async function runCommand(body: string, env: Record<string, string> = {}) {
  const script = `f() {\n${body}\n}\nout=$(f 2>&1 </dev/null); rc=$?; printf '%s' "$out"; exit $rc\n`
  return execa('sh', ['-c', script], {
    env: {PATH: `${scratch}/bin:/usr/bin:/bin`, ARGV_LOG: argvLog, ...env},
    reject: false,
  })
}

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'gt-consul-api-'))
  argvLog = path.join(scratch, 'argv.log')
  const bin = path.join(scratch, 'bin')
  rmSync(bin, {force: true, recursive: true})
  await execa('mkdir', ['-p', bin])
  writeFileSync(path.join(bin, 'curl'), '#!/bin/sh\nprintf \'%s\\n\' "$*" >> "$ARGV_LOG"\nexec /usr/bin/curl "$@"\n')
  chmodSync(path.join(bin, 'curl'), 0o755)
  server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString()))
    request.on('end', () => {
      const entry = {body, headers: request.headers, method: request.method ?? '', url: request.url ?? ''}
      seen.push(entry)
      const answer = reply(entry)
      response.writeHead(answer.status, {'Content-Type': 'application/json'})
      response.end(answer.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  rmSync(scratch, {force: true, recursive: true})
})

beforeEach(() => {
  seen.length = 0
  writeFileSync(argvLog, '')
  reply = () => ({body: '{}', status: 200})
})

describe("Consul API calls through curl's stdin", () => {
  it('creates a token: method, path, token header and JSON body reach Consul, and no secret is in any argv', async () => {
    reply = (request) => ({body: JSON.stringify({...JSON.parse(request.body), CreateIndex: 5}), status: 200})
    const [command] = changeCommands([{kind: 'create-token', token}], MANAGEMENT, base)
    const result = await runCommand(command!.run)
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toBe('token "consul agent lab4" created')
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({method: 'PUT', url: '/v1/acl/token'})
    expect(seen[0]!.headers['x-consul-token']).toBe(MANAGEMENT)
    expect(seen[0]!.headers['content-type']).toBe('application/json')
    expect(JSON.parse(seen[0]!.body)).toEqual({
      AccessorID: token.accessorId,
      Description: 'consul agent lab4',
      NodeIdentities: [{Datacenter: 'dc1', NodeName: 'lab4'}],
      Policies: [],
      SecretID: token.secretId,
    })
    const argv = readFileSync(argvLog, 'utf8')
    expect(argv).toContain('-K -')
    expect(argv).not.toContain(MANAGEMENT)
    expect(argv).not.toContain(token.secretId)
  })

  it('a refused request fails the command with the status and message, secret IDs blanked', async () => {
    reply = () => ({body: `{"SecretID": "${token.secretId}", "error": "x"}`, status: 500})
    const result = await runCommand(
      requestCommand({method: 'GET', path: '/v1/acl/token/abc'}, MANAGEMENT, 'ok', '', base),
    )
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toBe('GET /v1/acl/token/abc: HTTP 500: {"SecretID":"********", "error": "x"}')
    expect(result.stdout).not.toContain(token.secretId)
  })

  it('bootstrap against a cluster bootstrapped with another token: fails and says how to recover', async () => {
    reply = () => ({body: 'Permission denied: ACL bootstrap no longer allowed (reset index: 13)', status: 403})
    const [command] = changeCommands([{kind: 'bootstrap'}], MANAGEMENT, base)
    const result = await runCommand(command!.run)
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('bootstrapped before with another management token (reset index: 13)')
    expect(result.stdout).toContain('secrets/consul-management-token')
    expect(JSON.parse(seen[0]!.body)).toEqual({BootstrapSecret: MANAGEMENT})
    expect(readFileSync(argvLog, 'utf8')).not.toContain(MANAGEMENT)
  })

  it('no Consul listening: a clear failure', async () => {
    const result = await runCommand(
      requestCommand({method: 'PUT', path: '/v1/acl/bootstrap'}, MANAGEMENT, 'ok', '', 'http://127.0.0.1:9'),
    )
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(
      /^Consul's HTTP API at http:\/\/127\.0\.0\.1:9 did not answer PUT \/v1\/acl\/bootstrap: curl: \(7\) Failed to connect/,
    )
  })

  it('queries: the token comes from stdin, each answer comes back by id', async () => {
    reply = (request) =>
      request.url === '/v1/status/leader'
        ? {body: '"10.4.0.14:8300"', status: 200}
        : {body: 'Requested token does not exist: ACL not found', status: 404}
    const script = queryScript(
      [
        {id: 'leader', path: '/v1/status/leader'},
        {id: `token:${token.accessorId}`, path: `/v1/acl/token/${token.accessorId}`},
      ],
      base,
    )
    const result = await execa('sh', ['-c', script], {
      env: {ARGV_LOG: argvLog, PATH: `${scratch}/bin:/usr/bin:/bin`},
      input: `${MANAGEMENT}\n`,
    })
    const responses = parseQueries(result.stdout)
    expect(responses.get('leader')).toEqual({body: '"10.4.0.14:8300"', status: 200})
    expect(responses.get(`token:${token.accessorId}`)).toEqual({
      body: 'Requested token does not exist: ACL not found',
      status: 404,
    })
    expect(seen.map((s) => s.headers['x-consul-token'])).toEqual([MANAGEMENT, MANAGEMENT])
    expect(readFileSync(argvLog, 'utf8')).not.toContain(MANAGEMENT)
  })

  it('queries on a host without curl say so', async () => {
    const result = await execa('/bin/sh', ['-c', queryScript([{id: 'leader', path: '/v1/status/leader'}], base)], {
      env: {PATH: '/nonexistent'},
      input: `${MANAGEMENT}\n`,
      shell: false,
    }).catch((error: unknown) => error as {stdout: string})
    expect(result.stdout).toBe('E curl is not installed')
  })
})
