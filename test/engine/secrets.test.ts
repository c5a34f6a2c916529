import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import type {SecretSpec} from '../../src/engine/secrets.js'

import {InvalidInputError} from '../../src/core/errors.js'
import {EXIT} from '../../src/core/exit-codes.js'
import {SecretStore} from '../../src/engine/secrets.js'
import {CONSUL_ACL_SECRETS} from '../../src/roles/shared/consul-acl/acl-step.js'
import {GOSSIP_KEY} from '../../src/roles/consul/agent.js'
import {NOMAD_GOSSIP_KEY} from '../../src/roles/nomad/role.js'
import {slurmRole as slurm} from '../../src/roles/slurm/role.js'
import {SSH_CA_SECRETS} from '../../src/roles/ssh_certificates/openssh-ca.js'
import {SECRETS as STEP_CA_SECRETS} from '../../src/roles/step_ca/roles.js'

const scratch = mkdtempSync(path.join(os.tmpdir(), 'gt-secrets-'))
afterAll(() => rmSync(scratch, {force: true, recursive: true}))

const MUNGE = slurm.secrets![0]!
const DECLARED: SecretSpec[] = [
  MUNGE,
  GOSSIP_KEY,
  NOMAD_GOSSIP_KEY,
  ...CONSUL_ACL_SECRETS,
  ...Object.values(STEP_CA_SECRETS),
  ...Object.values(SSH_CA_SECRETS),
]

let count = 0
/** A store over a fresh secrets directory holding `files`. */
function storeWith(files: Record<string, Buffer | string>, persist = true): {dir: string; store: SecretStore} {
  const dir = path.join(scratch, `secrets-${++count}`)
  mkdirSync(dir, {mode: 0o700})
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content, {mode: 0o600})
  return {dir, store: new SecretStore(dir, persist)}
}

function refusal(spec: SecretSpec, content: Buffer | string): InvalidInputError {
  const {store} = storeWith({[spec.name]: content})
  try {
    store.ensure(spec)
  } catch (error) {
    return error as InvalidInputError
  }
  throw new Error(`${spec.name}: ${JSON.stringify(content.toString())} was accepted`)
}

describe('every declared secret', () => {
  it.each(DECLARED.map((spec) => [spec.name, spec] as const))(
    '%s: a generated one is valid, is stored 0600 in a 0700 directory, and is read back unchanged',
    (_name, spec) => {
      const dir = path.join(scratch, `fresh-${++count}`, 'secrets')
      const value = new SecretStore(dir, true).ensure(spec)
      expect(value.length).toBeGreaterThan(0)
      expect(spec.problem(value)).toBeUndefined()
      expect(readFileSync(path.join(dir, spec.name))).toEqual(value)
      expect(statSync(path.join(dir, spec.name)).mode & 0o777).toBe(0o600)
      expect(statSync(dir).mode & 0o777).toBe(0o700)
      expect(readdirSync(dir)).toEqual([spec.name])
      expect(new SecretStore(dir, true).ensure(spec)).toEqual(value)
    },
  )

  it.each(DECLARED.map((spec) => [spec.name, spec] as const))(
    '%s: an empty file is refused (exit 3), naming the file and what to do',
    (_name, spec) => {
      const error = refusal(spec, '')
      expect(error).toBeInstanceOf(InvalidInputError)
      expect(error.exitCode).toBe(EXIT.invalid)
      expect(error.message).toMatch(
        new RegExp(
          `^/\\S+/${spec.name}: the ${spec.description.replace(/[()]/g, '\\$&')} is empty; nothing was changed on any host$`,
        ),
      )
      expect(error.hint).toMatch(
        new RegExp(`^restore /\\S+/${spec.name} from a backup, or delete it to have a new one generated \\(.+\\)$`),
      )
    },
  )
})

describe('malformed secrets are refused', () => {
  it.each([
    [MUNGE, Buffer.alloc(31, 7), 'is 31 bytes; munged needs at least 32'],
    [GOSSIP_KEY, 'not base64 at all!', 'is not base64'],
    [GOSSIP_KEY, Buffer.alloc(20).toString('base64'), 'decodes to 20 bytes, not 16, 24 or 32'],
    [NOMAD_GOSSIP_KEY, 'AAAA====', 'is not base64'],
    [CONSUL_ACL_SECRETS[0]!, 'root', 'is not a UUID'],
    [CONSUL_ACL_SECRETS[1]!, Buffer.alloc(8, 1), 'is 8 bytes; an unguessable token seed needs at least 32'],
    [STEP_CA_SECRETS.root, '\n\n', 'is blank'],
    [STEP_CA_SECRETS.intermediate, 'first\nsecond\n', 'is more than one line'],
    [SSH_CA_SECRETS.host, 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB goldentooth\n', 'is not an OpenSSH private key'],
  ])('%#: %s', (spec, content, problem) => {
    expect(refusal(spec, content).message).toContain(`: the ${spec.description} ${problem}; nothing was changed`)
  })

  it('says what replacing a secret means when that is more than every host getting the new one', () => {
    expect(refusal(STEP_CA_SECRETS.root, '').hint).toContain('only for a CA not initialised yet')
    expect(refusal(MUNGE, '').hint).toContain('every host then gets the new key, and munge restarts')
  })

  it('accepts what the services accept: gossip keys of 16, 24 or 32 bytes with a trailing newline, longer MUNGE keys', () => {
    for (const bytes of [16, 24, 32]) {
      const {store} = storeWith({[GOSSIP_KEY.name]: `${Buffer.alloc(bytes, 9).toString('base64')}\n`})
      expect(store.ensure(GOSSIP_KEY).toString()).toBe(`${Buffer.alloc(bytes, 9).toString('base64')}\n`)
    }
    const {store} = storeWith({[MUNGE.name]: Buffer.alloc(32, 1)})
    expect(store.ensure(MUNGE)).toHaveLength(32)
  })
})

describe('SecretStore', () => {
  it('under --check generates a missing secret in memory only', () => {
    const {dir, store} = storeWith({}, false)
    expect(store.ensure(MUNGE)).toHaveLength(1024)
    expect(readdirSync(dir)).toEqual([])
  })

  it('refuses a bad stored secret under --check too', () => {
    const {store} = storeWith({[MUNGE.name]: ''}, false)
    expect(() => store.ensure(MUNGE)).toThrow(InvalidInputError)
  })

  it('says so when the secret is a directory', () => {
    const {dir, store} = storeWith({})
    mkdirSync(path.join(dir, MUNGE.name))
    expect(() => store.ensure(MUNGE)).toThrow(`cannot read ${dir}/munge.key: it is a directory`)
  })
})
