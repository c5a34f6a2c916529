import {mkdtempSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import type {ListingReport} from '../../src/health/list.js'

import {runCli} from '../support/cli.js'

/** The CLI as operators run it, on inventories whose hosts are never contacted (every case fails before connecting). */
describe('goldentooth test: commands, usage and inventory errors', () => {
  it('test list names every suite, its checks, and the hosts each runs on', async () => {
    const run = await runCli(['-i', 'inventory', 'test', 'list', '--json'])
    expect(run.exitCode).toBe(0)
    const report = JSON.parse(run.stdout) as ListingReport
    expect(report.suites.map((suite) => suite.name)).toEqual([
      'system',
      'time',
      'ssh',
      'certificates',
      'step_ca',
      'consul',
      'vault',
      'nomad',
      'slurm',
      'nfs',
      'zfs',
      'seaweedfs',
      'gpu',
    ])
    const vault = report.suites.find((suite) => suite.name === 'vault')!
    expect(vault.checks.find((check) => check.name === 'unsealed')).toMatchObject({
      groups: ['vault'],
      hosts: ['erenford', 'fenn', 'gardener'],
      scope: 'host',
    })
    expect(vault.checks.find((check) => check.name === 'active')).toMatchObject({scope: 'cluster'})
    expect(report.settings).toMatchObject({health_disk_percent_max: 85, health_skip_suites: []})
    const human = await runCli(['-i', 'inventory', 'test', 'list'])
    expect(human.stdout).toMatch(/^ {2}\(cluster\) active +from vault \(3 hosts\)/m)
  })

  it('an unknown suite is a usage error (exit 2) naming the closest suite', async () => {
    const run = await runCli(['-i', 'inventory', 'test', 'consull'])
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toContain('goldentooth: consull is not a suite (did you mean consul?)')
    expect(run.stderr).toContain('hint: suites: system, time, ssh')
    const none = await runCli(['-i', 'inventory', 'test'])
    expect(none.exitCode).toBe(2)
  })

  it('a pattern that matches nothing, or no host that runs the suite, is a usage error (exit 2)', async () => {
    const typo = await runCli(['-i', 'inventory', 'test', 'all', 'nosuchhost'])
    expect(typo.exitCode).toBe(2)
    const gpu = await runCli(['-i', 'inventory', 'test', 'gpu', 'allyrion', '--json'])
    expect(gpu.exitCode).toBe(2)
    expect(JSON.parse(gpu.stdout)).toMatchObject({error: {exitCode: 2, message: 'no selected host runs gpu'}})
  })

  it('an invalid health variable is an inventory error (exit 3) at its file:line:col', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gt-health-cli-'))
    const file = path.join(dir, 'hosts.yaml')
    writeFileSync(file, 'all:\n  hosts:\n    a:\n      ansible_host: 127.0.0.1\n      health_cpu_percent_max: [90]\n')
    const run = await runCli(['-i', file, 'test', 'system'])
    expect(run.exitCode).toBe(3)
    expect(run.stderr).toContain(
      `goldentooth: ${file}:5:7: health_cpu_percent_max must be a number of at least 0, not [90] (host a)`,
    )
    expect(run.stderr).not.toContain('    at ')
  })

  it('--help documents the forms, the output and the exit codes', async () => {
    const help = await runCli(['test', 'all', '--help'])
    expect(help.stdout).toContain('goldentooth test all [PATTERN]')
    expect(help.stdout).toContain('--prometheus')
    expect(help.stdout).toContain('EXIT CODES')
    const suites = await runCli(['test', '--help'])
    expect(suites.stdout).toContain('test SUITE... [PATTERN]')
  })
})
