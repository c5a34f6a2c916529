import {mkdtempSync, rmSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {RunError} from '../../src/core/errors.js'
import {checkPrerequisites, findInPath, LAB_TOOLS, type HostFacts} from '../../src/lab/prerequisites.js'
import {runCli} from '../support/lab.js'

const FILESYSTEMS = 'nodev\ttmpfs\nnodev\toverlay\n'
const bin = mkdtempSync(path.join(tmpdir(), 'gt-lab-prereq-'))
afterAll(() => rmSync(bin, {recursive: true, force: true}))

/** A PATH holding every lab tool this machine has, except `without`. */
function pathWithout(...without: string[]): string {
  const dir = mkdtempSync(path.join(bin, 'path-'))
  for (const tool of LAB_TOOLS) {
    const real = findInPath(tool.command, process.env.PATH ?? '')
    if (real && !without.includes(tool.command)) symlinkSync(real, path.join(dir, tool.command))
  }
  return dir
}

function facts(overrides: Partial<HostFacts>): HostFacts {
  return {platform: 'linux', uid: 0, path: pathWithout(), filesystems: FILESYSTEMS, ...overrides}
}

function failure(input: HostFacts): RunError {
  try {
    checkPrerequisites(input)
  } catch (err) {
    if (err instanceof RunError) return err
    throw err
  }
  throw new Error('checkPrerequisites accepted the machine')
}

describe('checkPrerequisites', () => {
  it('refuses to run as a normal user, and says how to run it', () => {
    const err = failure(facts({uid: 1000}))
    expect(err.message).toBe(
      'the lab needs root (it mounts overlays, creates a network namespace and boots containers); running as uid 1000',
    )
    expect(err.hint).toBe('sudo goldentooth lab up')
    expect(err.exitCode).toBe(1)
  })

  it('refuses a machine that is not Linux', () => {
    expect(failure(facts({platform: 'darwin'})).message).toMatch(/^the lab needs Linux .*; this machine runs darwin$/)
  })

  it('names every missing tool and gives the one apt-get line that installs them', () => {
    const err = failure(facts({path: pathWithout('systemd-nspawn', 'debootstrap', 'socat')}))
    expect(err.message).toBe('the lab needs systemd-nspawn, debootstrap, socat, not found in PATH')
    expect(err.hint).toBe('apt-get install -y systemd-container debootstrap socat')
  })

  it('asks for the overlay module when the kernel lacks overlayfs', () => {
    expect(failure(facts({filesystems: 'nodev\ttmpfs\n'})).hint).toBe('modprobe overlay')
  })

  it('accepts root on Linux with every tool', () => {
    expect(() => checkPrerequisites(facts({}))).not.toThrow()
  })
})

describe('goldentooth lab up without a tool', () => {
  it('prints one line and the apt-get command, no stack trace, and exits 1', async () => {
    const result = await runCli(['lab', 'up'], {env: {PATH: pathWithout('debootstrap')}})
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain(
      'goldentooth: the lab needs debootstrap, not found in PATH\n  hint: apt-get install -y debootstrap',
    )
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })

  it('exits 2 on a bad flag', async () => {
    expect((await runCli(['lab', 'up', '--nodes', '51'])).exitCode).toBe(2)
  })
})
