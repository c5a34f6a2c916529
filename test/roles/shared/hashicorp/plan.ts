import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import type {FileResource, Resource} from '../../../../src/engine/resources.js'
import type {Role} from '../../../../src/engine/role.js'
import type {Inventory} from '../../../../src/inventory/model.js'

import {planHost} from '../../../../src/engine/planning.js'
import {SecretStore} from '../../../../src/engine/secrets.js'
import {Templates} from '../../../../src/engine/templates.js'
import {parseHcl} from '../../../../src/engine/validate-hcl.js'

/** Known secrets, so tests can check what secret files hold (offline rendering never shows them). */
export const SECRETS: Record<string, Buffer> = {
  'consul-acl-seed': Buffer.alloc(32, 9),
  'consul-gossip-key': Buffer.from('pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s='),
  'consul-management-token': Buffer.from('45a3bd52-07c7-47a4-52fd-0745e0cfe967'),
  'nomad-gossip-key': Buffer.from('A8ORcXTjUWw+T4CuszH2oVRPZ12nnNPhQZxwkBxtF1o='),
}

/** Plan one host of a role with SECRETS and assumed facts, as setup_<role> would before comparing. */
export function plan(role: Role, inventory: Inventory, host: string): {resources: Resource[]; warnings: string[]} {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gt-secrets-'))
  try {
    mkdirSync(path.join(dir, 'secrets'))
    for (const [name, value] of Object.entries(SECRETS)) writeFileSync(path.join(dir, 'secrets', name), value)
    const secrets = new SecretStore(path.join(dir, 'secrets'), false)
    for (const spec of role.secrets ?? []) secrets.ensure(spec)
    return planHost(
      {
        facts: new Map(),
        fetched: () => undefined,
        inventory,
        operator: {publicKeys: []},
        options: {},
        prepared: undefined,
        role,
        secrets,
        templates: Templates.forInventory(inventory.baseDir),
      },
      host,
    )
  } finally {
    rmSync(dir, {force: true, recursive: true})
  }
}

export function fileOf(resources: readonly Resource[], filePath: string): FileResource {
  const found = resources.find((r): r is FileResource => r.kind === 'file' && r.path === filePath)
  if (!found) throw new Error(`no file ${filePath} in the plan`)
  return found
}

/** A planned HCL file, parsed by HashiCorp's parser. */
export async function hclOf(resources: readonly Resource[], filePath: string): Promise<Record<string, unknown>> {
  return parseHcl(filePath, fileOf(resources, filePath).content.toString())
}
