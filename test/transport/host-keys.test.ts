import {execFileSync} from 'node:child_process'
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {ConnectError} from '../../src/transport/errors.js'
import {connect, type ConnectOptions} from '../../src/transport/ssh.js'
import {startSshFleet, type Fleet} from '../support/sshd.js'
import {fleetTarget} from '../support/targets.js'

const OPTIONS: ConnectOptions = {connectTimeoutMs: 10_000, insecureAcceptHostKeys: false}

async function attempt(fleet: Fleet, name: string, vars: Record<string, unknown> = {}, options = OPTIONS) {
  const target = await fleetTarget(fleet, name, vars)
  try {
    const connection = await connect(target, options)
    const {stdout} = await connection.exec('echo $GT_HOST')
    await connection.close()
    return stdout.trim()
  } catch (err) {
    if (err instanceof ConnectError) return err
    throw err
  }
}

function fingerprintOf(file: string): string {
  return execFileSync('ssh-keygen', ['-l', '-f', file]).toString().split(' ')[1] as string
}

function knownHostsFile(fleet: Fleet, name: string, lines: string[]): Record<string, string> {
  const file = join(fleet.dir, name)
  writeFileSync(file, `${lines.join('\n')}\n`)
  return {ansible_ssh_common_args: `-o UserKnownHostsFile=${file} -o GlobalKnownHostsFile=/dev/null`}
}

const publicKey = (fleet: Fleet, name: string, type = 'ed25519') =>
  readFileSync(join(fleet.host(name).dir, `ssh_host_${type}_key.pub`), 'utf8').trim()

describe('plain known_hosts', () => {
  let fleet: Fleet
  beforeAll(async () => {
    fleet = await startSshFleet(3, {wrongKnownHost: ['host2'], hostKeyTypes: ['ecdsa', 'ed25519']})
  })
  afterAll(() => fleet?.stopAll())

  it('asks for the key type known_hosts lists, so a host with several keys presents a known one', async () => {
    expect(readFileSync(fleet.knownHostsPath, 'utf8')).not.toContain('ssh-ed25519')
    expect(await attempt(fleet, 'host1')).toBe('host1')
  })

  it('refuses a changed key, naming the known_hosts line and both fingerprints', async () => {
    const error = (await attempt(fleet, 'host2')) as ConnectError
    expect(error).toBeInstanceOf(ConnectError)
    expect(error.kind).toBe('host-key-changed')
    const name = `[127.0.0.12]:${fleet.host('host2').port}`
    const presented = fingerprintOf(join(fleet.host('host2').dir, 'ssh_host_ecdsa_key.pub'))
    const listed = fingerprintOf(join(fleet.dir, 'wrong-host2.pub'))
    expect(error.message).toBe(
      `host key for ${name} has changed: the host presented ${presented} (ecdsa-sha2-nistp256), ${fleet.knownHostsPath}:2 has ${listed} (ecdsa-sha2-nistp256)`,
    )
    expect(error.hint).toContain(`ssh-keygen -R '${name}' -f ${fleet.knownHostsPath}`)
  })

  it('refuses a host whose key was rotated', async () => {
    await fleet.rotateHostKey('host3')
    expect(await attempt(fleet, 'host3')).toMatchObject({kind: 'host-key-changed'})
  })

  it('skips verification, and nothing else, with insecureAcceptHostKeys', async () => {
    expect(await attempt(fleet, 'host2', {}, {...OPTIONS, insecureAcceptHostKeys: true})).toBe('host2')
    const wrongUser = {ansible_user: 'nobody-here'}
    expect(await attempt(fleet, 'host2', wrongUser, {...OPTIONS, insecureAcceptHostKeys: true})).toMatchObject({
      kind: 'auth',
    })
  })

  it('refuses an unknown host, printing the fingerprint and how to add it', async () => {
    const vars = knownHostsFile(fleet, 'empty_known_hosts', [])
    const error = (await attempt(fleet, 'host1', vars)) as ConnectError
    const {address, port} = fleet.host('host1')
    expect(error.kind).toBe('host-key-unknown')
    expect(error.message).toBe(
      `host key for [${address}]:${port} is not in known_hosts (${join(fleet.dir, 'empty_known_hosts')}, /dev/null)`,
    )
    const fingerprint = fingerprintOf(join(fleet.host('host1').dir, 'ssh_host_ed25519_key.pub'))
    expect(error.hint).toContain(`check that ${fingerprint} (ssh-ed25519) is the host's key`)
    expect(error.hint).toContain(`ssh-keyscan -p ${port} ${address} >> ${join(fleet.dir, 'empty_known_hosts')}`)
  })

  it('refuses a key marked @revoked', async () => {
    const {address, port} = fleet.host('host1')
    const key = publicKey(fleet, 'host1', 'ecdsa')
    const vars = knownHostsFile(fleet, 'revoked_known_hosts', [`[${address}]:${port} ${key}`, `@revoked * ${key}`])
    const error = (await attempt(fleet, 'host1', vars)) as ConnectError
    expect(error.kind).toBe('host-key-revoked')
    expect(error.message).toMatch(/is marked @revoked in .*revoked_known_hosts:2$/)
  })

  it('looks keys up under HostKeyAlias', async () => {
    const vars = knownHostsFile(fleet, 'alias_known_hosts', [`Node-One ${publicKey(fleet, 'host1', 'ecdsa')}`])
    vars.ansible_ssh_common_args += ' -o HostKeyAlias=node-one'
    expect(await attempt(fleet, 'host1', vars)).toBe('host1')
  })
})

describe('hashed known_hosts', () => {
  let fleet: Fleet
  beforeAll(async () => {
    fleet = await startSshFleet(2, {hashKnownHosts: true})
  })
  afterAll(() => fleet?.stopAll())

  it('matches hashed [host]:port entries', async () => {
    expect(readFileSync(fleet.knownHostsPath, 'utf8')).toMatch(/^\|1\|/)
    expect(await attempt(fleet, 'host1')).toBe('host1')
    expect(await attempt(fleet, 'host2')).toBe('host2')
  })
})

describe('@cert-authority', () => {
  let fleet: Fleet
  beforeAll(async () => {
    fleet = await startSshFleet(2, {hostCa: true})
  })
  afterAll(() => fleet?.stopAll())

  it('accepts a host whose certificate a trusted CA signed, even after its key changed', async () => {
    expect(readFileSync(fleet.knownHostsPath, 'utf8')).toMatch(/^@cert-authority \[127\.0\.0\.\*\]:\* ssh-ed25519 /)
    expect(await attempt(fleet, 'host1')).toBe('host1')
    await fleet.rotateHostKey('host2')
    expect(await attempt(fleet, 'host2')).toBe('host2')
  })

  it('rejects a certificate from a CA known_hosts does not trust', async () => {
    const otherCa = join(fleet.dir, 'other_ca')
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', otherCa])
    const vars = knownHostsFile(fleet, 'other_ca_known_hosts', [
      `@cert-authority * ${readFileSync(`${otherCa}.pub`, 'utf8').trim()}`,
    ])
    const error = (await attempt(fleet, 'host1', vars)) as ConnectError
    expect(error.kind).toBe('host-cert-invalid')
    expect(error.message).toMatch(
      /^host certificate of \[127\.0\.0\.11\]:\d+ rejected: it is signed by SHA256:\S+, which is not a @cert-authority for 127\.0\.0\.11$/,
    )
  })

  it('rejects a CA marked @revoked', async () => {
    const ca = readFileSync(`${fleet.caKeyPath}.pub`, 'utf8').trim()
    const vars = knownHostsFile(fleet, 'revoked_ca', [`@cert-authority * ${ca}`, `@revoked * ${ca}`])
    expect(await attempt(fleet, 'host1', vars)).toMatchObject({
      kind: 'host-cert-invalid',
      message: /CA key .* is marked @revoked/,
    })
  })

  it('rejects an expired certificate', async () => {
    await fleet.signHostCertificate('host1', {validity: '20200101:20200102'})
    expect(await attempt(fleet, 'host1')).toMatchObject({
      kind: 'host-cert-invalid',
      message: /rejected: it expired at 2020-01-02/,
    })
  })

  it('rejects a certificate for another key', async () => {
    await fleet.signHostCertificate('host1', {keyOf: 'host2'})
    expect(await attempt(fleet, 'host1')).toMatchObject({
      kind: 'host-cert-invalid',
      message: /rejected: it certifies SHA256:\S+, not the key the host presented \(SHA256:\S+\)$/,
    })
  })

  it('rejects a certificate for another name', async () => {
    await fleet.signHostCertificate('host1', {principals: ['host9', '127.0.0.99']})
    expect(await attempt(fleet, 'host1')).toMatchObject({
      kind: 'host-cert-invalid',
      message: /none of its principals \(host9, 127\.0\.0\.99\) is 127\.0\.0\.11$/,
    })
  })

  it('rejects a host with no certificate at all', async () => {
    rmSync(join(fleet.host('host1').dir, 'ssh_host_ed25519_key-cert.pub'))
    expect(await attempt(fleet, 'host1')).toMatchObject({kind: 'host-cert-invalid', message: /has no host certificate/})
    await fleet.signHostCertificate('host1')
    expect(await attempt(fleet, 'host1')).toBe('host1')
  })
})
