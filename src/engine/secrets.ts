import {randomBytes} from 'node:crypto'
import {readFileSync} from 'node:fs'
import path from 'node:path'

import {InvalidInputError} from '../core/errors.js'
import {writeFileAtomically} from '../state/atomic-write.js'
import {fileError, STATE_DIR_ELSEWHERE} from '../state/file-errors.js'

/** A secret a role needs: generated once on the operator's machine, then reused on every run. */
export interface SecretSpec {
  /** What it is, for messages (`MUNGE key`). */
  description: string
  generate: () => Buffer
  /** File name in the state directory's `secrets/`. */
  name: string
  /** What is wrong with a stored value that is not empty (`is 12 bytes; munged needs at least 32`), or undefined. */
  problem: (value: Buffer) => string | undefined
  /** What a new one means for the cluster, for the operator deciding whether to delete a bad one. */
  replacing?: string
}

export const randomSecret = (bytes: number) => () => randomBytes(bytes)
export const base64Secret = (bytes: number) => () => Buffer.from(randomBytes(bytes).toString('base64'))

/** At least `minimum` bytes of anything (`who` needs them: `munged`). */
export function atLeastBytes(minimum: number, who: string): SecretSpec['problem'] {
  return (value) => (value.length < minimum ? `is ${value.length} bytes; ${who} needs at least ${minimum}` : undefined)
}

/** Standard base64 (surrounding whitespace ignored) of a key of one of `sizes` bytes. */
export function base64Key(sizes: readonly number[]): SecretSpec['problem'] {
  return (value) => {
    const text = value.toString('utf8').trim()
    const decoded = Buffer.from(text, 'base64')
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || decoded.toString('base64') !== text) return 'is not base64'
    return sizes.includes(decoded.length)
      ? undefined
      : `decodes to ${decoded.length} bytes, not ${sizes.join(', ').replace(/, (\d+)$/, ' or $1')}`
  }
}

/** A password on one line (a trailing newline is allowed). */
export const oneLine: SecretSpec['problem'] = (value) => {
  const text = value.toString('utf8').replace(/\r?\n$/, '')
  if (text.trim() === '') return 'is blank'
  return /[\r\n\0]/.test(text) ? 'is more than one line' : undefined
}

const MASK = '********'

/**
 * Secrets live in `<state dir>/secrets/` (directory 0700, files 0600) on the operator's machine. They reach hosts only
 * inside apply scripts sent over stdin, and every text the tool prints passes through mask(). A stored secret that is
 * empty or malformed is refused before anything connects anywhere: deploying it would break the service on every host.
 */
export class SecretStore {
  private readonly values = new Map<string, Buffer>()
  private readonly dir: string
  /** false under --check: a missing secret is generated in memory only. */
  private readonly persist: boolean

  constructor(dir: string, persist: boolean) {
    this.dir = dir
    this.persist = persist
  }

  ensure(spec: SecretSpec): Buffer {
    const cached = this.values.get(spec.name)
    if (cached) return cached
    const file = path.join(this.dir, spec.name)
    const value = this.read(file, spec) ?? this.create(file, spec)
    this.values.set(spec.name, value)
    return value
  }

  private read(file: string, spec: SecretSpec): Buffer | undefined {
    let value: Buffer
    try {
      value = readFileSync(file)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw fileError(error, file, {action: 'read'})
    }
    const problem = value.length === 0 ? 'is empty' : spec.problem(value)
    if (problem === undefined) return value
    throw new InvalidInputError(
      `${file}: the ${spec.description} ${problem}; nothing was changed on any host`,
      undefined,
      `restore ${file} from a backup, or delete it to have a new one generated ` +
        `(${spec.replacing ?? 'every host then gets the new one'})`,
    )
  }

  private create(file: string, spec: SecretSpec): Buffer {
    const value = spec.generate()
    const problem = spec.problem(value)
    if (value.length === 0 || problem !== undefined)
      throw new Error(`the generated ${spec.description} ${problem ?? 'is empty'}`)
    if (!this.persist) return value
    try {
      writeFileAtomically(file, value, {
        directoryMode: 0o700,
        elsewhere: STATE_DIR_ELSEWHERE,
        exclusive: true,
        mode: 0o600,
      })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      return this.read(file, spec) ?? this.create(file, spec)
    }
    return value
  }

  get(name: string): Buffer {
    const value = this.values.get(name)
    if (!value) throw new Error(`secret ${name} was not declared by the role`)
    return value
  }

  /** Replace every secret (as text, and in base64) in `text`. */
  mask(text: string): string {
    let masked = text
    for (const value of this.values.values()) {
      for (const form of [value.toString('utf8'), value.toString('base64')]) {
        if (form.length >= 8) masked = masked.replaceAll(form.trim(), MASK)
      }
    }
    return masked
  }
}
