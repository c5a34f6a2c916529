import type {Inventory} from '../inventory/model.js'
import type {PlanInputs} from './planning.js'
import type {Resource} from './resources.js'
import type {OperatorInfo, Role} from './role.js'

import {planHost} from './planning.js'
import {resourceId} from './resources.js'
import {SecretStore} from './secrets.js'
import {Templates} from './templates.js'

/** One file a role would write on a host, as rendered offline. */
export interface RenderedFile {
  content: Buffer
  group: string
  mode: number
  owner: string
  path: string
  /** `line`/`block` resources only know their own lines, not the rest of the file. */
  partial: boolean
  secret: boolean
}

export interface RenderedHost {
  files: RenderedFile[]
  host: string
  /** Every resource id in plan order: the golden record of what the role does besides files. */
  plan: string[]
  warnings: string[]
}

function renderedFile(resource: Resource): RenderedFile | undefined {
  switch (resource.kind) {
    case 'file': {
      const content = resource.secret ? Buffer.from(`<secret: not rendered>\n`) : Buffer.from(resource.content)
      return {...resource, content, partial: false, secret: resource.secret === true}
    }
    case 'line': {
      return {...resource, content: Buffer.from(`${resource.line}\n`), partial: true, secret: false}
    }
    case 'block': {
      const block = `# BEGIN ${resource.marker}\n${resource.block.replace(/\n$/, '')}\n# END ${resource.marker}\n`
      return {...resource, content: Buffer.from(block), partial: true, secret: false}
    }
    default: {
      return undefined
    }
  }
}

/**
 * Render a role for hosts without connecting: facts come from each host's `assumed_facts` (or defaults), secrets
 * are generated in memory and never written out.
 */
export function renderRole(
  role: Role,
  inventory: Inventory,
  hosts: readonly string[],
  options: {
    /** Files the probe would have fetched (a CA's root, say), for renders that show what a live run would do. */
    fetched?: (host: string, path: string) => Buffer | undefined
    operator: OperatorInfo
    stateDir: string
    templatesDir?: string | undefined
  },
): RenderedHost[] {
  const secrets = new SecretStore(`${options.stateDir}/secrets`, false)
  for (const spec of role.secrets ?? []) secrets.ensure(spec)
  const inputs: PlanInputs = {
    facts: new Map(),
    fetched: options.fetched ?? (() => undefined),
    inventory,
    operator: options.operator,
    options: {},
    prepared: undefined,
    role,
    secrets,
    templates: Templates.forInventory(inventory.baseDir, options.templatesDir),
  }
  return hosts.map((host) => {
    const {resources, warnings} = planHost(inputs, host)
    const files = resources.map(renderedFile).filter((file): file is RenderedFile => file !== undefined)
    return {files, host, plan: resources.map(resourceId), warnings}
  })
}
