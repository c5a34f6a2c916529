import {Flags, type Interfaces} from '@oclif/core'

import type {InventorySource} from '../inventory/open.js'
import type {RunOptions} from '../services/run.js'
import type {ConnectionOptions} from '../services/scope.js'

import {UsageError} from '../core/errors.js'
import {inventoryFlag} from './base-command.js'

const UNITS: Record<string, number> = {'': 1, G: 1024 ** 3, K: 1024, M: 1024 ** 2}

/** `4M`, `512K`, `1G` or plain bytes (binary units). */
export function parseByteSize(text: string): number {
  const match = /^(\d+)([KMG]?)i?B?$/i.exec(text.trim())
  if (!match) throw new UsageError(`expected a size such as 4M, 512K or 0, not '${text}'`)
  return Number(match[1]) * UNITS[match[2]!.toUpperCase()]!
}

/** Flags shared by every command that connects to hosts. Light: imported at start-up by command modules. */
export const connectionFlags = {
  'connect-timeout': Flags.integer({
    default: 10,
    helpGroup: 'CONNECTION',
    min: 1,
    summary: 'Seconds to wait for a host to accept the SSH connection.',
  }),
  forks: Flags.integer({
    char: 'f',
    default: 64,
    helpGroup: 'CONNECTION',
    min: 1,
    summary: 'How many hosts to work on at once.',
  }),
  'insecure-accept-host-keys': Flags.boolean({
    helpGroup: 'CONNECTION',
    summary: 'Do not verify host keys (unsafe: anyone on the path can impersonate a host).',
  }),
  inventory: inventoryFlag,
  limit: Flags.string({
    char: 'l',
    helpGroup: 'TARGETS',
    summary: 'Further narrow the hosts, like ansible --limit; @FILE reads host names from a retry file.',
  }),
  'ssh-config': Flags.string({
    env: 'GOLDENTOOTH_SSH_CONFIG',
    helpGroup: 'CONNECTION',
    summary: 'OpenSSH client config to read instead of ~/.ssh/config (ssh -F).',
  }),
  'vault-password-file': Flags.string({
    env: 'ANSIBLE_VAULT_PASSWORD_FILE',
    helpGroup: 'GLOBAL',
    summary: 'Password file for Ansible Vault-encrypted inventory files.',
  }),
}

/** Flags for commands that run something on every selected host. */
export const runFlags = {
  ...connectionFlags,
  'max-output': Flags.custom<number>({
    default: async () => 4 * 1024 * 1024,
    defaultHelp: async () => '4M',
    helpGroup: 'OUTPUT',
    parse: async (text) => parseByteSize(text),
    summary: "Keep at most this much of each host's stdout and of its stderr: the first and last halves (0: all).",
  })(),
  raw: Flags.boolean({
    helpGroup: 'OUTPUT',
    summary: "Print hosts' control characters and escape sequences as they are (shown as ^[ etc. on a terminal).",
  }),
  timeout: Flags.integer({
    default: 600,
    helpGroup: 'CONNECTION',
    min: 0,
    summary: 'Seconds a command may run on a host before it is stopped (0: no limit).',
  }),
  verbose: Flags.boolean({
    char: 'v',
    helpGroup: 'OUTPUT',
    summary: 'Stream output live, each line prefixed by its host.',
  }),
}

/** --inventory and --vault-password-file as a service takes them. */
export function inventorySource(flags: {
  inventory: string
  'vault-password-file'?: string | undefined
}): InventorySource {
  return {inventory: flags.inventory, vaultPasswordFile: flags['vault-password-file']}
}

/** The connection flags as a service takes them. */
export function connectionOptions(flags: Interfaces.InferredFlags<typeof connectionFlags>): ConnectionOptions {
  return {
    ...inventorySource(flags),
    connectTimeout: flags['connect-timeout'],
    forks: flags.forks,
    insecureAcceptHostKeys: flags['insecure-accept-host-keys'],
    limit: flags.limit,
    sshConfig: flags['ssh-config'],
  }
}

export type RunFlagValues = Interfaces.InferredFlags<typeof runFlags>

/** The flags of a command that runs something on hosts, as the service takes them (-v and --raw are for the output). */
export function runOptions(flags: RunFlagValues): RunOptions {
  return {...connectionOptions(flags), maxOutput: flags['max-output'], timeout: flags.timeout}
}
