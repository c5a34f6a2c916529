import path from 'node:path'

import {isMap, isScalar} from 'yaml'

import {InventoryBuilder} from './builder.js'
import {LoadedInventory, type VarsFile} from './inventory.js'
import type {Inventory} from './model.js'
import {InventoryFileParser} from './parse-inventory.js'
import {InventoryError, type Problem} from './problems.js'
import {readYamlFile} from './read-yaml.js'
import {findSources, findVarsFiles, listDirectory} from './sources.js'
import {checkAddress, checkVars} from './validate.js'
import {VAULT_PASSWORD_HINT, readVaultSecret, type VaultSecret} from './vault.js'
import {ValueReader, mapEntries} from './yaml-values.js'
import {locate} from './yaml.js'

export interface LoadOptions {
  /** Ansible Vault password file; without it ~/.goldentooth_vault_password is used when it exists. */
  vaultPasswordFile?: string | undefined
}

const INI_SECTION = /^\s*\[[^\]\s]+\]\s*(?:[#;].*)?$/m

function iniProblem(file: string): Problem {
  return {
    hint: `convert it once: ansible-inventory -i ${file} --list -y > hosts.yaml`,
    message: `${file}: INI inventories are not supported (goldentooth reads Ansible's YAML inventory format)`,
  }
}

/** Why an inventory without problems holds nothing: it has no inventory file, or only empty ones. */
function nothingToLoad(source: string, files: string[]): Problem {
  if (files.length === 0) {
    return {message: `${source}: no inventory file found (expected a YAML inventory such as hosts.yaml)`}
  }
  const hint = 'add groups and hosts (all: → hosts: → NAME:), or give -i the inventory you meant'
  if (files.length === 1) return {hint, message: `${files[0]}: the inventory file is empty (no groups or hosts)`}
  return {
    hint,
    message: `${source}: every inventory file in it is empty (${files.map((f) => path.basename(f)).join(', ')})`,
  }
}

async function readInventoryFile(
  file: string,
  secret: VaultSecret | undefined,
  builder: InventoryBuilder,
  problems: Problem[],
  warnings: string[],
): Promise<boolean> {
  const read = await readYamlFile(file, secret)
  if (read.status === 'locked') {
    problems.push({
      hint: VAULT_PASSWORD_HINT,
      message: `${file}: is encrypted with Ansible Vault and no vault password is available`,
    })
    return false
  }
  if (read.status === 'invalid') {
    problems.push(...(INI_SECTION.test(read.text) ? [iniProblem(file)] : read.problems))
    return false
  }
  const root = read.yaml.doc.contents
  if (!isMap(root) && !(isScalar(root) && root.value === null) && INI_SECTION.test(read.text)) {
    problems.push(iniProblem(file))
    return false
  }
  return new InventoryFileParser(read.yaml, read.vault, {builder, problems, warnings}).parse()
}

async function readVarsFile(
  file: string,
  secret: VaultSecret | undefined,
  problems: Problem[],
  warnings: string[],
): Promise<VarsFile | undefined> {
  const read = await readYamlFile(file, secret)
  if (read.status === 'locked') return {file, locked: true}
  if (read.status === 'invalid') {
    problems.push(...read.problems)
    return undefined
  }
  const root = read.yaml.doc.contents
  if (root === null || (isScalar(root) && root.value === null)) return undefined
  if (!isMap(root)) {
    problems.push({location: locate(read.yaml, root), message: 'a variables file must be a mapping of NAME: VALUE'})
    return undefined
  }
  const onWarning = (message: string): void => void warnings.push(message)
  const reader = new ValueReader(read.yaml, read.vault, onWarning)
  const vars: VarsFile = {file, vars: new Map()}
  for (const {key, keyNode, value} of mapEntries(root, read.yaml, onWarning)) {
    const entry = reader.read(value)
    vars.vars.set(String(key), {
      ...entry,
      location: locate(read.yaml, keyNode),
      secrets: read.encrypted ? [[]] : entry.secrets,
    })
  }
  return vars
}

async function readVarsFiles(
  dir: string,
  names: Iterable<string>,
  secret: VaultSecret | undefined,
  problems: Problem[],
  warnings: string[],
): Promise<Map<string, VarsFile[]>> {
  const result = new Map<string, VarsFile[]>()
  const listing = listDirectory(dir)
  for (const name of names) {
    const files: VarsFile[] = []
    for (const file of await findVarsFiles(dir, name, listing)) {
      const vars = await readVarsFile(file, secret, problems, warnings)
      if (vars) files.push(vars)
    }
    if (files.length > 0) result.set(name, files)
  }
  return result
}

/**
 * Load an Ansible YAML inventory (a file, or a directory of them) with its group_vars/ and host_vars/, as Ansible
 * would, and validate it. Throws InvalidInputError (exit 3) listing every problem with its file:line:col.
 */
export async function loadInventory(source: string, options: LoadOptions = {}): Promise<Inventory> {
  const sources = await findSources(source)
  const secret = await readVaultSecret(options.vaultPasswordFile)
  const problems: Problem[] = []
  const warnings: string[] = sources.skipped.map((file) => `${file}: not a YAML inventory file, skipped`)
  const builder = new InventoryBuilder(problems)
  let parsed = 0
  for (const file of sources.files) {
    if (await readInventoryFile(file, secret, builder, problems, warnings)) parsed += 1
  }
  if (parsed === 0 && problems.length === 0) problems.push(nothingToLoad(source, sources.files))
  warnings.push(...builder.reconcile())

  const groupFiles = await readVarsFiles(
    path.join(sources.baseDir, 'group_vars'),
    builder.groups.keys(),
    secret,
    problems,
    warnings,
  )
  const hostFiles = await readVarsFiles(
    path.join(sources.baseDir, 'host_vars'),
    builder.hosts.keys(),
    secret,
    problems,
    warnings,
  )
  const inventory = new LoadedInventory({baseDir: sources.baseDir, builder, groupFiles, hostFiles, source, warnings})

  for (const group of builder.groups.values()) problems.push(...checkVars(group.vars))
  for (const files of [...groupFiles.values(), ...hostFiles.values()]) {
    for (const file of files) if ('vars' in file) problems.push(...checkVars(file.vars))
  }
  for (const host of builder.hosts.values()) {
    problems.push(...checkVars(host.vars))
    const address = checkAddress(host.name, inventory.entriesOf(host.name).get('ansible_host'), host.location)
    if (address) problems.push(address)
  }
  if (problems.length > 0) throw new InventoryError(problems)
  return inventory
}
