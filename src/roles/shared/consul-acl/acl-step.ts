import type {Inventory} from '../../../inventory/model.js'
import type {CommandResource} from '../../../engine/resources.js'
import type {PrepareContext, Role} from '../../../engine/role.js'
import type {SecretSpec} from '../../../engine/secrets.js'

import {randomUUID} from 'node:crypto'

import {RunError} from '../../../core/errors.js'
import {atLeastBytes, randomSecret} from '../../../engine/secrets.js'
import {ConnectError} from '../../../transport/errors.js'
import {
  type AclChange,
  type AclDecision,
  type AclDesired,
  aclQueries,
  changeId,
  changeRequests,
  decideAcl,
  isUuid,
} from './acl.js'
import {type ApiResponse, CONSUL_HTTP, parseQueries, queryScript, requestCommand} from './api.js'

/** The management token goldentooth bootstraps Consul's ACLs with, and the seed its other tokens' IDs derive from. */
export const CONSUL_ACL_SECRETS: SecretSpec[] = [
  {
    description: 'Consul ACL management (bootstrap) token',
    generate: () => Buffer.from(randomUUID()),
    name: 'consul-management-token',
    problem: (value) => (isUuid(value.toString('utf8').trim()) ? undefined : 'is not a UUID'),
    replacing: 'Consul accepts a new one only before its ACLs are bootstrapped',
  },
  {
    description: 'seed of the IDs of the Consul ACL tokens goldentooth creates',
    generate: randomSecret(32),
    name: 'consul-acl-seed',
    problem: atLeastBytes(32, 'an unguessable token seed'),
    replacing: 'every Consul token goldentooth derives from it is then created anew, with new IDs',
  },
]

/** The first Consul server: where ACL changes are made through the loopback API. */
export const ACL_HOST_PATTERN = 'consul_server[0]'

export function managementToken(secret: (name: string) => Buffer): string {
  return secret('consul-management-token').toString('utf8').trim()
}

const LEADER_WAIT_MS = 90_000

/** Read what the decision needs through the API on the host; under a real run, wait for a leader first. */
async function observe(context: PrepareContext, host: string, desired: AclDesired) {
  const script = queryScript(aclQueries(desired))
  const deadline = Date.now() + (context.check ? 0 : LEADER_WAIT_MS)
  for (;;) {
    const result = await context.exec(host, script, {stdin: `${desired.managementToken}\n`})
    if (/^E /m.test(result.stdout)) {
      if (context.check) return new Map<string, ApiResponse>()
      throw new RunError(`${host}: ${result.stdout.replace(/^E /m, '').trim()}`)
    }
    const responses = parseQueries(result.stdout)
    const leader = responses.get('leader')
    const ready = leader?.status === 200 && /^"[^"]+"$/.test(leader.body.trim())
    if (ready || Date.now() >= deadline) return responses
    await new Promise((resolve) => setTimeout(resolve, 2000))
  }
}

function bootstrapConflict(): string {
  return [
    '  403) case "$reply" in *\'no longer allowed\'*)',
    "    echo \"Consul's ACLs were bootstrapped before with another management token ($(printf '%s' \"$reply\" | sed -n 's/.*(\\(reset index: [0-9]*\\)).*/\\1/p')): put that token in secrets/consul-management-token of goldentooth's state directory, or reset the bootstrap (write the reset index into acl-bootstrap-reset in the data directory of the leader) and run again\"; return 1 ;;",
    '  esac; echo "PUT /v1/acl/bootstrap: HTTP 403: $reply"; return 1 ;;',
  ].join('\n')
}

function describe(change: AclChange): string {
  switch (change.kind) {
    case 'bootstrap': {
      return 'ACL system bootstrapped with the stored management token'
    }
    case 'create-policy':
    case 'update-policy': {
      return `policy ${change.policy.name} ${change.kind === 'create-policy' ? 'created' : 'updated'}`
    }
    default: {
      return `token "${change.token.description}" ${change.kind.replace(/-token$/, 'd')}`
    }
  }
}

/** One command resource per change, in order: the bootstrap, policies, then the tokens that name them. */
export function changeCommands(changes: readonly AclChange[], token: string, base = CONSUL_HTTP): CommandResource[] {
  return changes.map((change) => ({
    id: changeId(change),
    kind: 'command',
    run: changeRequests(change, token)
      .map((request) =>
        requestCommand(request, token, describe(change), change.kind === 'bootstrap' ? bootstrapConflict() : '', base),
      )
      .join('\n'),
  }))
}

/**
 * A cluster step that makes Consul's ACLs hold `desired` on the first Consul server: prepare() reads the API there,
 * decideAcl() decides (pure), and each change is a command resource (so --check lists them and a second run has
 * none). Offline rendering plans every object, as for a new cluster.
 */
export function aclStep(options: {
  description: string
  desired: (inventory: Inventory, secret: (name: string) => Buffer) => AclDesired
  name: string
  /**
   * Resolve the binaries of the roles after this step first, so that a missing release stops the run before any
   * ACL changes; `hosts` are the hosts whose architectures matter (probed for their facts).
   */
  resolveFirst?: {
    hosts: (inventory: Inventory) => string[]
    prepare: (context: PrepareContext, hosts: string[]) => Promise<unknown>
  }
  summary: string
}): Role {
  const first = options.resolveFirst
  return {
    clusterStep: true,
    description: options.description,
    ...(first ? {factsFrom: first.hosts} : {}),
    hosts: ACL_HOST_PATTERN,
    name: options.name,
    plan(context) {
      const desired = options.desired(context.inventory, context.secret)
      const decision =
        (context.prepared as AclDecision | undefined) ??
        decideAcl(desired, undefined, {check: true, host: context.host})
      for (const note of decision.notes) context.warn(note)
      return changeCommands(decision.changes, desired.managementToken)
    },
    async prepare(context) {
      await first?.prepare(context, first.hosts(context.inventory))
      const host = context.hosts[0]!
      const desired = options.desired(context.inventory, context.secret)
      if (!desired.bootstrap && desired.policies.length === 0 && desired.tokens.length === 0)
        return {changes: [], notes: []}
      let responses: Map<string, ApiResponse>
      try {
        responses = await observe(context, host, desired)
      } catch (error) {
        if (error instanceof ConnectError) return {changes: [], notes: []}
        throw error
      }
      return decideAcl(desired, responses, {check: context.check, host})
    },
    secrets: CONSUL_ACL_SECRETS,
    summary: options.summary,
  }
}
