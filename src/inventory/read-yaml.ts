import {readFileSync} from 'node:fs'

import type {Problem} from './problems.js'
import {decryptVault, isVaultText, type VaultSecret} from './vault.js'
import {vaultScalars, type VaultPlaintexts} from './yaml-values.js'
import {locate, parseYaml, type YamlFile} from './yaml.js'

export type ReadResult =
  | {status: 'ok'; yaml: YamlFile; vault: VaultPlaintexts; encrypted: boolean; text: string}
  | {status: 'locked'}
  | {status: 'invalid'; problems: Problem[]; text: string}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * Read a YAML file as Ansible's loader does (synchronously: thousands of small host_vars files read several times
 * faster so): a whole-file vault is decrypted first, then every `!vault` scalar.
 * Without a password a vault file is `locked` and `!vault` scalars stay undecrypted (left to the reader to flag).
 */
export async function readYamlFile(file: string, secret: VaultSecret | undefined): Promise<ReadResult> {
  let text = readFileSync(file, 'utf8')
  const encrypted = isVaultText(text)
  if (encrypted) {
    if (!secret) return {status: 'locked'}
    try {
      text = await decryptVault(text, secret)
    } catch (error) {
      const message = `${file}: cannot decrypt this vault file with the password from ${secret.file} (${reason(error)})`
      return {problems: [{message}], status: 'invalid', text: ''}
    }
  }
  const {problems, yaml} = parseYaml(text, file)
  if (problems.length > 0) return {problems, status: 'invalid', text}

  const vault: VaultPlaintexts = new Map()
  const failures: Problem[] = []
  await Promise.all(
    vaultScalars(yaml).map(async (node) => {
      if (!secret) return vault.set(node, undefined)
      try {
        vault.set(node, await decryptVault(String(node.value), secret))
      } catch (error) {
        failures.push({
          location: locate(yaml, node),
          message: `cannot decrypt this !vault value with the password from ${secret.file} (${reason(error)})`,
        })
      }
    }),
  )
  if (failures.length > 0) return {problems: failures, status: 'invalid', text}
  return {encrypted, status: 'ok', text, vault, yaml}
}
