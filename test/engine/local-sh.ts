import {execFileSync} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import type {EnginePaths} from '../../src/engine/remote/paths.js'

/** Run an engine script with the local sh, as the engine does remotely (script on stdin into a temp file). */
export function runLocally(script: string): {status: number; stderr: string; stdout: string} {
  try {
    const stdout = execFileSync(
      'sh',
      ['-c', 't=$(mktemp); cat >"$t"; sh "$t" </dev/null; rc=$?; rm -f "$t"; exit $rc'],
      {
        encoding: 'utf8',
        input: script,
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    )
    return {status: 0, stderr: '', stdout}
  } catch (error) {
    const failure = error as {status: number; stderr: string; stdout: string}
    return {status: failure.status, stderr: failure.stderr, stdout: failure.stdout}
  }
}

/** A scratch directory and engine state paths inside it, so tests never touch the machine's own state. */
export function scratch(): {dir: string; paths: EnginePaths} {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gt-engine-'))
  return {
    dir,
    paths: {
      backupDir: path.join(dir, 'backup'),
      lockFile: path.join(dir, 'lock'),
      pendingDir: path.join(dir, 'pending'),
      stagingDir: path.join(dir, 'staging'),
    },
  }
}
