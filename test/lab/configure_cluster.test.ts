import {cpSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {ConvergeReport} from '../../src/engine/results.js'

import {ensureLabUp, REPO, runCli, ssh} from '../support/lab.js'
import {labUnavailable} from '../support/lab-context.js'

const lab = (args: string[], inventory = 'inventory/lab') => runCli(['-i', inventory, ...args])

function report(stdout: string): ConvergeReport {
  return JSON.parse(stdout) as ConvergeReport
}

function changed(result: ConvergeReport, host: string): string[] {
  return result.hosts
    .find((h) => h.host === host)!
    .resources.filter((r) => r.status === 'changed' || r.status === 'would-change')
    .map((r) => r.id)
}

describe.skipIf(labUnavailable())('configure_cluster on the lab', () => {
  let scratch: string
  beforeAll(async () => {
    await ensureLabUp()
    scratch = mkdtempSync(path.join(os.tmpdir(), 'gt-configure-'))
  })
  afterAll(async () => {
    await ssh('lab3', 'rmdir /etc/motd 2>/dev/null; true')
    await lab(['configure_cluster'])
    rmSync(scratch, {force: true, recursive: true})
  })

  it('converges, then a second run changes nothing in one probe round trip per host', async () => {
    const first = await lab(['configure_cluster', '--json'])
    expect(first.exitCode).toBe(0)
    const second = await lab(['configure_cluster', '--json'])
    expect(second.exitCode).toBe(0)
    const summary = report(second.stdout).summary
    expect(summary).toMatchObject({changed: 0, failed: 0, hosts: 5, unreachable: 0})
    const hosts = await ssh(
      'lab2',
      'cat /etc/hostname; getent hosts lab4; readlink /etc/localtime; cat /etc/sysctl.d/90-goldentooth.conf',
    )
    expect(hosts.stdout).toContain('lab2\n')
    expect(hosts.stdout).toMatch(/^10\.77\.0\.14\s+lab4/m)
    expect(hosts.stdout).toContain('/usr/share/zoneinfo/America/New_York')
    expect(hosts.stdout).toContain('net.ipv4.ip_forward = 1')
  })

  it('--check after a hand edit reports exactly that file, with a diff, and exits 2 with --detailed-exitcode', async () => {
    await ssh('lab2', "echo '# edited by hand' >> /etc/motd")
    const check = await lab(['configure_cluster', '--check', '--diff', '--detailed-exitcode', '--json'])
    expect(check.exitCode).toBe(2)
    const result = report(check.stdout)
    expect(changed(result, 'lab2')).toEqual(['file:/etc/motd'])
    for (const host of ['lab1', 'lab3', 'lab4', 'lab5']) expect(changed(result, host)).toEqual([])
    const motd = result.hosts.find((h) => h.host === 'lab2')!.resources.find((r) => r.id === 'file:/etc/motd')!
    expect(motd.diff).toContain('-# edited by hand')
    expect((await ssh('lab2', 'tail -1 /etc/motd')).stdout).toBe('# edited by hand')
    const fix = await lab(['configure_cluster', 'lab2', '--json'])
    expect(changed(report(fix.stdout), 'lab2')).toEqual(['file:/etc/motd'])
  })

  it('a run that fails half way leaves the restart pending, and the next run performs it', async () => {
    const inventory = path.join(scratch, 'inventory')
    cpSync(path.join(REPO, 'inventory/lab'), inventory, {recursive: true})
    rmSync(path.join(inventory, '.goldentooth'), {force: true, recursive: true})
    writeFileSync(path.join(inventory, 'group_vars/all.yaml'), '\njournald_system_max_use: 150M\n', {flag: 'a'})
    const started = async () =>
      (await ssh('lab3', 'systemctl show -p ActiveEnterTimestampMonotonic --value systemd-journald')).stdout
    const before = await started()
    await ssh('lab3', 'rm -f /etc/motd && mkdir /etc/motd')
    const broken = await lab(['configure_cluster', 'lab3', '--json'], inventory)
    expect(broken.exitCode).toBe(1)
    const resources = report(broken.stdout).hosts[0]!.resources
    expect(resources.find((r) => r.id === 'file:/etc/systemd/journald.conf.d/goldentooth.conf')?.status).toBe('changed')
    expect(resources.find((r) => r.id === 'file:/etc/motd')?.status).toBe('failed')
    expect(resources.find((r) => r.id === 'handler:restart@systemd-journald.service')?.status).toBe('skipped')
    expect((await ssh('lab3', 'ls /var/lib/goldentooth/pending')).stdout).toBe('restart@systemd-journald.service')
    expect(await started()).toBe(before)

    await ssh('lab3', 'rmdir /etc/motd')
    const next = await lab(['configure_cluster', 'lab3', '--json'], inventory)
    expect(next.exitCode).toBe(0)
    const handler = report(next.stdout).hosts[0]!.resources.find(
      (r) => r.id === 'handler:restart@systemd-journald.service',
    )
    expect(handler?.status).toBe('changed')
    expect(await started()).not.toBe(before)
    expect((await ssh('lab3', 'ls /var/lib/goldentooth/pending')).stdout).toBe('')
  })
})
