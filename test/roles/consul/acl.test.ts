import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import type {ApiResponse} from '../../../src/roles/shared/consul-acl/api.js'

import {
  type AclDesired,
  aclQueries,
  changeRequests,
  decideAcl,
  derivedUuid,
  isUuid,
} from '../../../src/roles/shared/consul-acl/acl.js'
import {agentToken, DNS_POLICY, dnsToken} from '../../../src/roles/consul/tokens.js'
import {storagePolicy, storageToken} from '../../../src/roles/vault/role.js'

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures', 'consul-api')
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8')
const errors = JSON.parse(fixture('errors.json')) as Record<string, ApiResponse>

const seed = Buffer.alloc(32, 7)
const MANAGEMENT = '45a3bd52-07c7-47a4-52fd-0745e0cfe967'
const lab4 = agentToken(seed, 'lab4', 'dc1')

function desired(bootstrap = true): AclDesired {
  return {
    bootstrap,
    managementToken: MANAGEMENT,
    policies: [DNS_POLICY, storagePolicy('vault/', 'vault-storage')],
    tokens: [dnsToken(seed), lab4, storageToken(seed, 'vault-storage')],
  }
}

/** The token as Consul returns it once goldentooth created it (the docs' sample with our IDs). */
function observedAgent(changes: Record<string, unknown> = {}): ApiResponse {
  const token = {
    ...JSON.parse(fixture('token-agent.json')),
    AccessorID: lab4.accessorId,
    SecretID: lab4.secretId,
    ...changes,
  }
  return {body: JSON.stringify(token), status: 200}
}

function observedToken(token: {accessorId: string; description: string; policies: string[]; secretId: string}) {
  return {
    body: JSON.stringify({
      AccessorID: token.accessorId,
      Description: token.description,
      Policies: token.policies.map((Name, i) => ({ID: `0000000${i}-aaaa-bbbb-cccc-dddddddddddd`, Name})),
      SecretID: token.secretId,
    }),
    status: 200,
  }
}

function policyResponse(policy: {description: string; name: string; rules: string}): ApiResponse {
  return {
    body: JSON.stringify({
      Description: policy.description,
      ID: `id-${policy.name}`,
      Name: policy.name,
      Rules: policy.rules,
    }),
    status: 200,
  }
}

/** A cluster where everything goldentooth wants exists already. */
function converged(): Map<string, ApiResponse> {
  const want = desired()
  return new Map<string, ApiResponse>([
    ['leader', {body: fixture('status-leader.json'), status: 200}],
    ['self', {body: fixture('token-self-management.json'), status: 200}],
    [`policy:${DNS_POLICY.name}`, policyResponse(DNS_POLICY)],
    ['policy:vault-storage', {body: fixture('policy-vault-storage.json'), status: 200}],
    [`token:${want.tokens[0]!.accessorId}`, observedToken(want.tokens[0]!)],
    [`token:${lab4.accessorId}`, observedAgent()],
    [`token:${want.tokens[2]!.accessorId}`, observedToken(want.tokens[2]!)],
  ])
}

const decide = (responses: Map<string, ApiResponse> | undefined, check = false, want = desired()) =>
  decideAcl(want, responses, {check, host: 'lab1'})

describe('Consul ACL decisions', () => {
  it('derives stable, distinct UUIDs from the seed', () => {
    expect(derivedUuid(seed, 'a')).toBe(derivedUuid(seed, 'a'))
    expect(derivedUuid(seed, 'a')).not.toBe(derivedUuid(seed, 'b'))
    expect(derivedUuid(Buffer.alloc(32, 8), 'a')).not.toBe(derivedUuid(seed, 'a'))
    expect(isUuid(derivedUuid(seed, 'a'))).toBe(true)
    expect(derivedUuid(seed, 'a')[14]).toBe('4')
    expect(lab4.accessorId).not.toBe(lab4.secretId)
  })

  it('asks for the leader, the management token, and every policy and token', () => {
    expect(aclQueries(desired()).map((q) => q.path)).toEqual([
      '/v1/status/leader',
      '/v1/acl/token/self',
      '/v1/acl/policy/name/goldentooth-dns',
      '/v1/acl/policy/name/vault-storage',
      `/v1/acl/token/${desired().tokens[0]!.accessorId}`,
      `/v1/acl/token/${lab4.accessorId}`,
      `/v1/acl/token/${desired().tokens[2]!.accessorId}`,
    ])
  })

  it('a new cluster: bootstrap once, then every policy and token', () => {
    const responses = new Map<string, ApiResponse>([
      ['leader', {body: fixture('status-leader.json'), status: 200}],
      ['self', errors.aclNotFound!],
      ...desired().policies.map((p): [string, ApiResponse] => [`policy:${p.name}`, errors.aclNotFound!]),
      ...desired().tokens.map((t): [string, ApiResponse] => [`token:${t.accessorId}`, errors.aclNotFound!]),
    ])
    expect(decide(responses).changes.map((c) => c.kind)).toEqual([
      'bootstrap',
      'create-policy',
      'create-policy',
      'create-token',
      'create-token',
      'create-token',
    ])
  })

  it('a converged cluster: nothing to do (a re-run detects the bootstrap and finds every token by accessor)', () => {
    expect(decide(converged())).toEqual({changes: [], notes: []})
  })

  it('creates only what is missing, updates what drifted, replaces a token whose secret is not ours', () => {
    const responses = converged()
    responses.set(`token:${lab4.accessorId}`, errors.tokenDoesNotExist!)
    responses.set('policy:vault-storage', {
      ...policyResponse({
        ...storagePolicy('vault/', 'vault-storage'),
        rules: 'key_prefix "vault/" { policy = "read" }',
      }),
    })
    const dns = desired().tokens[0]!
    responses.set(`token:${dns.accessorId}`, observedToken({...dns, policies: ['something-else']}))
    const vault = desired().tokens[2]!
    responses.set(
      `token:${vault.accessorId}`,
      observedToken({...vault, secretId: '11111111-2222-4333-8444-555555555555'}),
    )
    const {changes} = decide(responses)
    expect(
      changes.map((c) => [c.kind, 'token' in c ? c.token.description : c.kind === 'bootstrap' ? '' : c.policy.name]),
    ).toEqual([
      ['update-policy', 'vault-storage'],
      ['update-token', 'consul dns'],
      ['create-token', 'consul agent lab4'],
      ['replace-token', 'vault storage'],
    ])
    expect(changes[0]).toMatchObject({id: 'id-vault-storage'})
  })

  it('policy rules compare without regard to whitespace', () => {
    const responses = converged()
    const policy = storagePolicy('vault/', 'vault-storage')
    responses.set('policy:vault-storage', policyResponse({...policy, rules: policy.rules.replaceAll('\n', '\n\n  ')}))
    expect(decide(responses).changes).toEqual([])
  })

  it('a node identity that names another node is updated', () => {
    const responses = converged()
    responses.set(`token:${lab4.accessorId}`, observedAgent({NodeIdentities: [{Datacenter: 'dc1', NodeName: 'lab5'}]}))
    expect(decide(responses).changes).toEqual([{kind: 'update-token', token: lab4}])
  })

  it('vault and nomad steps refuse when setup_consul has not bootstrapped yet', () => {
    const responses = converged()
    responses.set('self', errors.aclNotFound!)
    expect(() => decide(responses, false, desired(false))).toThrow(
      /not bootstrapped with goldentooth's management token/,
    )
  })

  it('says what is wrong: ACLs off, a token that is not a management token', () => {
    const off = converged()
    off.set('self', errors.aclDisabled!)
    expect(() => decide(off)).toThrow(/has ACLs disabled \(ACL support disabled\)/)
    const weak = converged()
    weak.set(
      'self',
      observedToken({accessorId: 'a', description: 'x', policies: ['goldentooth-dns'], secretId: MANAGEMENT}),
    )
    expect(() => decide(weak)).toThrow(/is not a management token/)
  })

  it('no answer or no leader: an error on a real run, everything planned (with a note) under --check', () => {
    for (const leader of [
      {body: '', status: 0},
      {body: '""', status: 200},
    ]) {
      const responses = new Map([['leader', leader]])
      expect(() => decide(responses)).toThrow(
        /cannot manage Consul ACLs: (Consul's HTTP API on lab1 is not answering|the Consul servers have no leader yet)/,
      )
      const checked = decide(responses, true)
      expect(checked.changes).toHaveLength(6)
      expect(checked.notes[0]).toMatch(/planned every ACL object/)
    }
  })

  it('offline (render): plans the bootstrap and every object', () => {
    expect(decide(undefined).changes.map((c) => c.kind)).toEqual([
      'bootstrap',
      'create-policy',
      'create-policy',
      'create-token',
      'create-token',
      'create-token',
    ])
  })

  it('turns each change into the documented API calls', () => {
    expect(changeRequests({kind: 'bootstrap'}, MANAGEMENT)).toEqual([
      {body: {BootstrapSecret: MANAGEMENT}, method: 'PUT', path: '/v1/acl/bootstrap'},
    ])
    expect(changeRequests({kind: 'create-token', token: lab4}, MANAGEMENT)).toEqual([
      {
        body: {
          AccessorID: lab4.accessorId,
          Description: 'consul agent lab4',
          NodeIdentities: [{Datacenter: 'dc1', NodeName: 'lab4'}],
          Policies: [],
          SecretID: lab4.secretId,
        },
        method: 'PUT',
        path: '/v1/acl/token',
      },
    ])
    expect(
      changeRequests({kind: 'replace-token', token: lab4}, MANAGEMENT).map((r) => `${r.method} ${r.path}`),
    ).toEqual([`DELETE /v1/acl/token/${lab4.accessorId}`, 'PUT /v1/acl/token'])
    const policy = storagePolicy('vault/', 'vault-storage')
    expect(changeRequests({id: 'p1', kind: 'update-policy', policy}, MANAGEMENT)).toEqual([
      {
        body: {Description: policy.description, ID: 'p1', Name: 'vault-storage', Rules: policy.rules},
        method: 'PUT',
        path: '/v1/acl/policy/p1',
      },
    ])
  })
})
