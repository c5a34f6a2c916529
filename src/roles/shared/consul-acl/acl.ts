import {createHmac} from 'node:crypto'

import type {ApiRequest, ApiResponse} from './api.js'

import {RunError} from '../../../core/errors.js'

/**
 * Consul ACL objects goldentooth owns, and the pure decisions about them. Tokens carry accessor and secret IDs
 * derived from a seed in the operator's secret store, so a token is created once and found again on every later run
 * (the original minted a new token per run), and its secret can be written into agent configs before it exists.
 */

export const GLOBAL_MANAGEMENT_POLICY_ID = '00000000-0000-0000-0000-000000000001'

export interface AclPolicy {
  description: string
  name: string
  rules: string
}

export interface NodeIdentity {
  Datacenter: string
  NodeName: string
}

export interface AclToken {
  accessorId: string
  description: string
  /** A node identity: Consul's per-node agent policy (node:write on that node, service:read everywhere). */
  nodeIdentities: NodeIdentity[]
  policies: string[]
  secretId: string
}

export interface AclDesired {
  /** Bootstrap the ACL system with the management token when it is not yet (setup_consul only). */
  bootstrap: boolean
  managementToken: string
  policies: AclPolicy[]
  tokens: AclToken[]
}

/** `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx` from HMAC-SHA256(seed, label): stable for a seed, unguessable without it. */
export function derivedUuid(seed: Buffer, label: string): string {
  const bytes = createHmac('sha256', seed).update(label).digest().subarray(0, 16)
  bytes[6] = (bytes[6]! & 0x0f) | 0x40
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export function isUuid(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)
}

/** A token whose IDs come from the seed: `label` names it for good (renaming it makes a new token). */
export function seededToken(
  seed: Buffer,
  label: string,
  token: Pick<AclToken, 'description'> & Partial<Pick<AclToken, 'nodeIdentities' | 'policies'>>,
): AclToken {
  return {
    accessorId: derivedUuid(seed, `accessor:${label}`),
    description: token.description,
    nodeIdentities: token.nodeIdentities ?? [],
    policies: token.policies ?? [],
    secretId: derivedUuid(seed, `secret:${label}`),
  }
}

export type AclChange =
  | {kind: 'bootstrap'}
  | {kind: 'create-policy'; policy: AclPolicy}
  | {id: string; kind: 'update-policy'; policy: AclPolicy}
  | {kind: 'create-token'; token: AclToken}
  | {kind: 'update-token'; token: AclToken}
  | {kind: 'replace-token'; token: AclToken}

export interface AclDecision {
  changes: AclChange[]
  /** Said in the run's output (an API that could not be asked under --check, say). */
  notes: string[]
}

/** Every read the decision needs, by id: `leader`, `self`, `policy:<name>`, `token:<accessor>`. */
export function aclQueries(desired: AclDesired): Array<{id: string; path: string}> {
  return [
    {id: 'leader', path: '/v1/status/leader'},
    {id: 'self', path: '/v1/acl/token/self'},
    ...desired.policies.map((p) => ({
      id: `policy:${p.name}`,
      path: `/v1/acl/policy/name/${encodeURIComponent(p.name)}`,
    })),
    ...desired.tokens.map((t) => ({id: `token:${t.accessorId}`, path: `/v1/acl/token/${t.accessorId}`})),
  ]
}

function json<T>(response: ApiResponse, what: string): T {
  try {
    return JSON.parse(response.body) as T
  } catch {
    throw new RunError(`Consul answered ${what} with something that is not JSON: ${response.body.slice(0, 200)}`)
  }
}

function normalise(rules: string): string {
  return rules.replaceAll(/\s+/g, ' ').trim()
}

interface ObservedToken {
  AccessorID: string
  Description?: string
  NodeIdentities?: NodeIdentity[] | null
  Policies?: Array<{ID: string; Name: string}> | null
  SecretID?: string
}

/** What is wrong with an existing token, or [] when it is as wanted. */
function tokenDifferences(observed: ObservedToken, token: AclToken): string[] {
  const differences: string[] = []
  const policies = (observed.Policies ?? []).map((p) => p.Name).sort()
  if (JSON.stringify(policies) !== JSON.stringify([...token.policies].sort())) differences.push('policies')
  const identities = (observed.NodeIdentities ?? []).map((n) => `${n.NodeName}@${n.Datacenter}`).sort()
  const wanted = token.nodeIdentities.map((n) => `${n.NodeName}@${n.Datacenter}`).sort()
  if (JSON.stringify(identities) !== JSON.stringify(wanted)) differences.push('node identities')
  if ((observed.Description ?? '') !== token.description) differences.push('description')
  return differences
}

function everything(desired: AclDesired, bootstrap: boolean): AclChange[] {
  return [
    ...(bootstrap ? [{kind: 'bootstrap' as const}] : []),
    ...desired.policies.map((policy): AclChange => ({kind: 'create-policy', policy})),
    ...desired.tokens.map((token): AclChange => ({kind: 'create-token', token})),
  ]
}

const ACL_NOT_FOUND = /ACL not found/i

/**
 * What must change in Consul's ACLs for `desired`, from what the API answered (undefined: nothing could be asked,
 * as when rendering offline). Pure. Throws a RunError that says what to do when the cluster is in a state goldentooth
 * must not paper over (ACLs off, bootstrapped with another token, a token that is not a management token).
 */
export function decideAcl(
  desired: AclDesired,
  responses: ReadonlyMap<string, ApiResponse> | undefined,
  options: {check: boolean; host: string},
): AclDecision {
  if (!responses) return {changes: everything(desired, desired.bootstrap), notes: []}
  const leader = responses.get('leader')
  const reachable = leader !== undefined && leader.status === 200 && /^"[^"]+"$/.test(leader.body.trim())
  if (!reachable) {
    const why =
      leader === undefined || leader.status === 0
        ? `Consul's HTTP API on ${options.host} is not answering`
        : leader.status === 200
          ? `the Consul servers have no leader yet`
          : `Consul on ${options.host} answered /v1/status/leader with HTTP ${leader.status}`
    if (options.check)
      return {
        changes: everything(desired, desired.bootstrap),
        notes: [`${why}: planned every ACL object (a first run, or the servers are down)`],
      }
    throw new RunError(
      `cannot manage Consul ACLs: ${why}`,
      `check: goldentooth command ${options.host} -- journalctl -u consul -n 50`,
    )
  }
  const self = responses.get('self')!
  let bootstrap = false
  if (self.status === 401) {
    throw new RunError(
      `Consul on ${options.host} has ACLs disabled (${self.body.trim()}); goldentooth manages ACLs only when they are on`,
    )
  } else if (self.status === 403 && ACL_NOT_FOUND.test(self.body)) {
    if (!desired.bootstrap)
      throw new RunError(
        "Consul's ACLs are not bootstrapped with goldentooth's management token yet",
        'run setup_consul first: it bootstraps the ACL system once',
      )
    bootstrap = true
  } else if (self.status === 200) {
    const token = json<ObservedToken>(self, '/v1/acl/token/self')
    if (!(token.Policies ?? []).some((p) => p.ID === GLOBAL_MANAGEMENT_POLICY_ID))
      throw new RunError(
        `the stored consul-management-token (accessor ${token.AccessorID}) is not a management token`,
        'put the SecretID of a token with the global-management policy in secrets/consul-management-token',
      )
  } else {
    throw new RunError(`Consul answered /v1/acl/token/self with HTTP ${self.status}: ${self.body.slice(0, 200)}`)
  }
  if (bootstrap) return {changes: everything(desired, true), notes: []}
  const changes: AclChange[] = []
  for (const policy of desired.policies) {
    const response = responses.get(`policy:${policy.name}`)!
    if (response.status === 404 || (response.status === 403 && ACL_NOT_FOUND.test(response.body))) {
      changes.push({kind: 'create-policy', policy})
      continue
    }
    if (response.status !== 200)
      throw new RunError(
        `Consul answered the read of policy ${policy.name} with HTTP ${response.status}: ${response.body}`,
      )
    const observed = json<{Description?: string; ID: string; Rules: string}>(response, `policy ${policy.name}`)
    if (normalise(observed.Rules) !== normalise(policy.rules) || (observed.Description ?? '') !== policy.description)
      changes.push({id: observed.ID, kind: 'update-policy', policy})
  }
  for (const token of desired.tokens) {
    const response = responses.get(`token:${token.accessorId}`)!
    if (response.status === 404 || (response.status === 403 && ACL_NOT_FOUND.test(response.body))) {
      changes.push({kind: 'create-token', token})
      continue
    }
    if (response.status !== 200)
      throw new RunError(
        `Consul answered the read of token ${token.description} with HTTP ${response.status}: ${response.body}`,
      )
    const observed = json<ObservedToken>(response, `token ${token.description}`)
    if (observed.SecretID !== undefined && observed.SecretID !== token.secretId)
      changes.push({kind: 'replace-token', token})
    else if (tokenDifferences(observed, token).length > 0) changes.push({kind: 'update-token', token})
  }
  return {changes, notes: []}
}

function tokenBody(token: AclToken): Record<string, unknown> {
  return {
    AccessorID: token.accessorId,
    Description: token.description,
    NodeIdentities: token.nodeIdentities,
    Policies: token.policies.map((Name) => ({Name})),
    SecretID: token.secretId,
  }
}

/** The API requests that make one change. */
export function changeRequests(change: AclChange, managementToken: string): ApiRequest[] {
  switch (change.kind) {
    case 'bootstrap': {
      return [{body: {BootstrapSecret: managementToken}, method: 'PUT', path: '/v1/acl/bootstrap'}]
    }
    case 'create-policy': {
      const {description, name, rules} = change.policy
      return [{body: {Description: description, Name: name, Rules: rules}, method: 'PUT', path: '/v1/acl/policy'}]
    }
    case 'update-policy': {
      const {description, name, rules} = change.policy
      return [
        {
          body: {Description: description, ID: change.id, Name: name, Rules: rules},
          method: 'PUT',
          path: `/v1/acl/policy/${change.id}`,
        },
      ]
    }
    case 'create-token': {
      return [{body: tokenBody(change.token), method: 'PUT', path: '/v1/acl/token'}]
    }
    case 'update-token': {
      return [{body: tokenBody(change.token), method: 'PUT', path: `/v1/acl/token/${change.token.accessorId}`}]
    }
    case 'replace-token': {
      return [
        {method: 'DELETE', path: `/v1/acl/token/${change.token.accessorId}`},
        {body: tokenBody(change.token), method: 'PUT', path: '/v1/acl/token'},
      ]
    }
  }
}

/** A short, stable name for a change: the command resource's id. */
export function changeId(change: AclChange): string {
  switch (change.kind) {
    case 'bootstrap': {
      return 'consul acl bootstrap'
    }
    case 'create-policy':
    case 'update-policy': {
      return `consul acl policy ${change.policy.name}`
    }
    case 'create-token':
    case 'update-token':
    case 'replace-token': {
      return `consul acl token ${change.token.description}`
    }
  }
}
