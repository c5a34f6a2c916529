import {randomBytes} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'

/** A secret a role needs: generated once on the operator's machine, then reused on every run. */
export interface SecretSpec {
  /** What it is, for messages (`MUNGE key`). */
  description: string
  generate: () => Buffer
  /** File name in the state directory's `secrets/`. */
  name: string
}

export const randomSecret = (bytes: number) => () => randomBytes(bytes)
export const base64Secret = (bytes: number) => () => Buffer.from(randomBytes(bytes).toString('base64'))

const MASK = '********'

/**
 * Secrets live in `<state dir>/secrets/` (directory 0700, files 0600) on the operator's machine. They reach hosts only
 * inside apply scripts sent over stdin, and every text the tool prints passes through mask().
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
    let value: Buffer
    if (existsSync(file)) value = readFileSync(file)
    else {
      value = spec.generate()
      if (this.persist) {
        mkdirSync(this.dir, {mode: 0o700, recursive: true})
        writeFileSync(file, value, {flag: 'wx', mode: 0o600})
      }
    }
    this.values.set(spec.name, value)
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
