import {execa} from 'execa'
import {createHash} from 'node:crypto'
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import type {RenderedFile, RenderedHost} from './render.js'
import type {ValidationResult, Validator} from './validator.js'

import {hclParse} from './validate-hcl.js'
import {slurmConfCheck} from './validate-slurm.js'

const UNIT_SUFFIX = /\.(service|timer|socket|mount|automount|path|target|slice)$/

function isUnitFile(file: RenderedFile): boolean {
  return /^\/(etc|lib|usr\/lib)\/systemd\/system\//.test(file.path) && !file.partial
}

/** Lines of systemd-analyze output that only mean "not on this machine": a missing binary or a unit from a package. */
const ENVIRONMENT_ONLY = [
  /Command .* is not executable: No such file or directory/,
  /Unit .* not found/,
  /Failed to create .*: Unit .* not found/,
]

/**
 * systemd-analyze verify on every rendered unit, with the rendered units (and drop-ins) first in the unit search
 * path, so drop-ins apply and units see each other. Template units are verified through an instance.
 */
export const systemdVerify: Validator = {
  applies: isUnitFile,
  name: 'systemd-analyze verify',
  async run(hostFiles, hosts) {
    const results: ValidationResult[] = []
    const dir = await mkdtemp(path.join(os.tmpdir(), 'goldentooth-units-'))
    try {
      for (const file of hostFiles) {
        const relative = file.path.replace(/^\/(etc|lib|usr\/lib)\/systemd\/system\//, '')
        await mkdir(path.dirname(path.join(dir, relative)), {recursive: true})
        await writeFile(path.join(dir, relative), file.content)
      }
      for (const file of hostFiles) {
        const name = path.basename(file.path)
        if (!UNIT_SUFFIX.test(name) || file.path.includes('.d/')) continue
        const unit = name.replace(/@\./, '@goldentooth-validate.')
        const run = await execa('systemd-analyze', ['verify', '--man=no', unit], {
          env: {SYSTEMD_UNIT_PATH: `${dir}:`},
          reject: false,
        })
        const lines = `${run.stdout}\n${run.stderr}`
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean)
        const notes = lines.filter((line) => ENVIRONMENT_ONLY.some((pattern) => pattern.test(line)))
        const errors = lines
          .filter((line) => !notes.includes(line))
          .map((line) => line.replaceAll(dir, '').replace(/^\//, ''))
        results.push({errors, file: file.path, hosts, notes, validator: this.name})
      }
    } finally {
      await rm(dir, {force: true, recursive: true})
    }
    return results
  },
}

/** `sshd -t` on every rendered sshd configuration. */
export const sshdTest: Validator = {
  applies: (file) => /^\/etc\/ssh\/sshd_config(\.d\/.*\.conf)?$/.test(file.path) && !file.partial,
  name: 'sshd -t',
  async run(files, hosts) {
    const results: ValidationResult[] = []
    for (const file of files) {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'goldentooth-sshd-'))
      try {
        const config = path.join(dir, 'sshd_config')
        await writeFile(config, file.content)
        const run = await execa('/usr/sbin/sshd', ['-t', '-f', config], {reject: false})
        const lines = run.stderr
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean)
        const notes = lines.filter((line) =>
          /Unable to load host key|Could not load host certificate|No such file/.test(line),
        )
        results.push({
          errors: run.exitCode === 0 ? [] : lines.filter((line) => !notes.includes(line)),
          file: file.path,
          hosts,
          notes,
          validator: this.name,
        })
      } finally {
        await rm(dir, {force: true, recursive: true})
      }
    }
    return results
  },
}

export const VALIDATORS: Validator[] = [systemdVerify, sshdTest, hclParse, slurmConfCheck]

/**
 * Run every validator that applies to the rendered files of these hosts. Hosts whose files for a validator are
 * identical are validated once, together.
 */
export async function validateRendered(
  hosts: readonly RenderedHost[],
  validators = VALIDATORS,
): Promise<ValidationResult[]> {
  const results: ValidationResult[] = []
  for (const validator of validators) {
    const groups = new Map<string, {files: RenderedFile[]; hosts: string[]}>()
    for (const host of hosts) {
      const files = host.files.filter((file) => validator.applies(file))
      if (files.length === 0) continue
      const key = createHash('sha256')
        .update(JSON.stringify(files.map((file) => [file.path, file.content.toString('base64')])))
        .digest('hex')
      const group = groups.get(key) ?? {files, hosts: []}
      group.hosts.push(host.host)
      groups.set(key, group)
    }
    for (const group of groups.values()) results.push(...(await validator.run(group.files, group.hosts)))
  }
  return results
}
