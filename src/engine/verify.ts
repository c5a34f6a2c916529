import type {Connection} from '../transport/types.js'
import type {PlannedResource} from './compare.js'
import type {Observed} from './observed.js'
import type {Notify, Verification} from './resources.js'
import type {ResourceResult} from './results.js'

import {asRoot, scriptCommand} from '../transport/remote-command.js'
import {shJoin, shq} from '../transport/quote.js'
import {isSystemdUnitPath, unitName} from './resources.js'
import {ENGINE_PATHS, type EnginePaths} from './remote/paths.js'

/** A file this run replaced (or created), and how to put it back. */
export interface RestorableFile {
  /** It existed before the run: restore the apply script's backup; otherwise remove it. */
  existed: boolean
  id: string
  notify: Notify[]
  path: string
}

export interface PendingVerification {
  files: RestorableFile[]
  verification: Verification
}

const ATTEMPTS = 3
const RETRY_DELAY_MS = 1000

/** The verifications whose resources changed in this apply, each with the files to put back if it fails. */
export function pendingVerifications(
  planned: readonly PlannedResource[],
  results: readonly ResourceResult[],
  observed: Observed,
): PendingVerification[] {
  const pending = new Map<string, PendingVerification>()
  planned.forEach((item, index) => {
    const {resource} = item
    if (!('verify' in resource) || !resource.verify || results[index]?.status !== 'changed') return
    const state = observed.paths.get(resource.path)
    const key = JSON.stringify(resource.verify)
    const entry = pending.get(key) ?? {files: [], verification: resource.verify}
    entry.files.push({
      existed: state?.exists === true && state.type === 'file',
      id: item.id,
      notify: resource.notify ?? [],
      path: resource.path,
    })
    pending.set(key, entry)
  })
  return [...pending.values()]
}

/** Put the files back from the apply script's backups (or remove new ones), then reload what read them. */
export function rollbackScript(files: readonly RestorableFile[], paths: EnginePaths = ENGINE_PATHS): string {
  const lines = [
    'set -u',
    'status=0',
    `restore() { if [ -f ${shq(paths.backupDir)}"$1" ] && cp -p -- ${shq(paths.backupDir)}"$1" "$1"; then echo "restored $1"; else echo "cannot restore $1" >&2; status=1; fi; }`,
    'remove() { if rm -f -- "$1"; then echo "removed $1"; else status=1; fi; }',
    ...files.map((file) => shJoin([file.existed ? 'restore' : 'remove', file.path])),
  ]
  if (files.some((file) => isSystemdUnitPath(file.path))) lines.push('systemctl daemon-reload || status=1')
  const handlers = new Map<string, Notify>()
  for (const notify of files.flatMap((file) => file.notify)) handlers.set(`${notify.action}@${notify.service}`, notify)
  for (const {action, service} of handlers.values()) {
    const unit = shq(unitName(service))
    const verb = action === 'reload' ? 'reload-or-restart' : 'restart'
    lines.push(
      `if systemctl is-active --quiet -- ${unit}; then systemctl ${verb} -- ${unit} && echo "${verb} ${unitName(service)}" || status=1; fi`,
    )
  }
  lines.push('exit "$status"')
  return `${lines.join('\n')}\n`
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** Why a fresh connection cannot log in and run the check (after a few tries: sshd may be re-executing). */
export async function freshCheck(
  open: () => Promise<Connection>,
  verification: Verification,
  timeoutMs: number,
): Promise<string | undefined> {
  let problem: string | undefined
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS))
    let connection: Connection | undefined
    try {
      connection = await open()
      const result = await connection.exec(asRoot(connection.target, verification.command), {timeoutMs})
      if (result.exitCode === 0) return undefined
      problem = `\`${verification.command}\` exited ${result.exitCode ?? 'on a signal'}${result.stderr.trim() ? `: ${result.stderr.trim().split('\n').at(-1)}` : ''}`
    } catch (error) {
      problem = `a new connection failed: ${message(error)}`
    } finally {
      await connection?.close().catch(() => {})
    }
  }
  return problem
}

/**
 * After a host's apply: run each verification its changed resources carry over a fresh connection; when one fails,
 * restore those files over the connection the run already has, reload their services, check again, and report the
 * resources as failed with what happened. Returns the results to report.
 */
export async function verifyChanges(options: {
  current: Connection
  observed: Observed
  open: () => Promise<Connection>
  paths: EnginePaths
  planned: readonly PlannedResource[]
  results: readonly ResourceResult[]
  timeoutMs: number
}): Promise<ResourceResult[]> {
  const results = [...options.results]
  for (const {files, verification} of pendingVerifications(options.planned, results, options.observed)) {
    const problem = await freshCheck(options.open, verification, options.timeoutMs)
    if (problem === undefined) continue
    const script = rollbackScript(files, options.paths)
    const rollback = await options.current.exec(asRoot(options.current.target, scriptCommand(script)), {
      stdin: script,
      timeoutMs: options.timeoutMs,
    })
    const restored = rollback.exitCode === 0
    const after = restored ? await freshCheck(options.open, verification, options.timeoutMs) : undefined
    const outcome = !restored
      ? `restoring the previous files failed: ${rollback.stderr.trim() || rollback.stdout.trim()}`
      : after === undefined
        ? `restored the previous ${files.length === 1 ? 'file' : 'files'} (${rollback.stdout.trim().split('\n').join(', ')}); ${verification.description} again`
        : `restored the previous files, but ${verification.description} still fails: ${after}`
    const ids = new Set(files.map((file) => file.id))
    for (const [index, result] of results.entries()) {
      if (!ids.has(result.id)) continue
      results[index] = {
        ...result,
        message: `${verification.description} failed after this change (${problem}); ${outcome}`,
        status: 'failed',
      }
    }
  }
  return results
}
