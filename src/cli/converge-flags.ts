import {Flags, type Interfaces} from '@oclif/core'

import type {Serial} from '../engine/role-run.js'
import type {ConvergeRunOptions} from '../services/converge.js'
import type {ValidateOptions} from '../services/validate-roles.js'

import {UsageError} from '../core/errors.js'
import {connectionFlags, connectionOptions, inventorySource} from './fanout-flags.js'

/** `--serial 2` (hosts per batch) or `--serial 30%` (of the role's hosts). */
export function parseSerial(text: string): Serial {
  const match = /^(\d+)(%?)$/.exec(text.trim())
  if (!match || Number(match[1]) === 0)
    throw new UsageError(`expected a number of hosts or a percentage, not '${text}'`, 'e.g. --serial 1 or --serial 30%')
  return match[2] ? {percent: Number(match[1])} : {hosts: Number(match[1])}
}

export const templatesFlag = Flags.directory({
  env: 'GOLDENTOOTH_TEMPLATES',
  summary: 'Directory whose files override templates/ by relative path (default: templates/ next to the inventory).',
})

/** Flags of the commands that render roles without connecting (render, validate). */
export const offlineRoleFlags = {
  inventory: connectionFlags.inventory,
  templates: templatesFlag,
  'vault-password-file': connectionFlags['vault-password-file'],
}

/** The offline role flags as the services take them. */
export function offlineRoleOptions(flags: Interfaces.InferredFlags<typeof offlineRoleFlags>): ValidateOptions {
  return {...inventorySource(flags), templates: flags.templates}
}

/** Flags of every command that converges a role (setup_<role>, configure_cluster). */
export const convergeFlags = {
  ...connectionFlags,
  artifacts: Flags.directory({
    env: 'GOLDENTOOTH_ARTIFACTS',
    summary: 'Directory of release binaries and their vendor SHA256SUMS, for machines without internet.',
  }),
  check: Flags.boolean({summary: 'Change nothing; report what would change.'}),
  'detailed-exitcode': Flags.boolean({
    dependsOn: ['check'],
    summary: 'With --check: exit 2 when changes are pending (drift detection from cron).',
  }),
  diff: Flags.boolean({summary: 'Show a unified diff of every file that changes (secrets masked).'}),
  serial: Flags.custom<Serial>({
    parse: async (text) => parseSerial(text),
    summary: 'Apply in batches of N hosts or N% and stop when a batch fails.',
  })(),
  templates: templatesFlag,
  timeout: Flags.integer({default: 1800, min: 0, summary: 'Seconds one host may take to apply (0: no limit).'}),
}

/** The converge flags as the service takes them (--detailed-exitcode is for the exit code). */
export function convergeOptions(
  flags: Interfaces.InferredFlags<typeof convergeFlags>,
): Omit<ConvergeRunOptions, 'json' | 'options'> {
  return {
    ...connectionOptions(flags),
    artifacts: flags.artifacts,
    check: flags.check,
    diff: flags.diff,
    serial: flags.serial,
    templates: flags.templates,
    timeout: flags.timeout,
  }
}
