import {mkdtempSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import type {HostCheck, ProbeResult, Verdict} from '../../src/health/model.js'

import {SUITES} from '../../src/health/catalog.js'
import {clockOffset, clockVerdict} from '../../src/health/clock.js'
import {hostContext} from '../../src/health/plan.js'
import {listeningPorts} from '../../src/health/ports.js'
import {parseOpensslDate} from '../../src/health/x509.js'
import {loadInventory} from '../../src/inventory/load.js'

const probe = (stdout: string, exitCode = 0): ProbeResult => ({
  attempts: 1,
  durationMs: 3,
  exitCode,
  stderr: '',
  stdout,
})
const check = (suite: string, name: string): HostCheck =>
  SUITES.find((s) => s.name === suite)!.hostChecks.find((c) => c.name === name)!

async function judge(suite: string, name: string, stdout: string, vars = ''): Promise<Verdict> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gt-hostcheck-'))
  writeFileSync(
    path.join(dir, 'hosts.yaml'),
    `all:\n  hosts:\n    n1: {${vars}}\n  children:\n    slurm: {hosts: {n1: {}}}\n`,
  )
  const inventory = await loadInventory(path.join(dir, 'hosts.yaml'))
  const [verdict] = check(suite, name).evaluate({
    context: hostContext(inventory, 'n1'),
    nowMs: Date.now(),
    result: probe(stdout),
  })
  return verdict!
}

const show = (active: string, sub: string, enabled: string, load = 'loaded') =>
  `LoadState=${load}\nActiveState=${active}\nSubState=${sub}\nUnitFileState=${enabled}\nResult=success\n`

const resources = (idleDelta: number, extra = '') =>
  `cpu1 cpu  1000 0 1000 8000 0 0 0 0 0 0\ncpu2 cpu  1100 0 1100 ${8000 + idleDelta} 0 0 0 0 0 0\nload 7.01 4.47 3.51 8/267 9421\nnproc 2\nMemTotal:       24684080 kB\nMemAvailable:   23000000 kB\ndf overlay 2147483648 1932735283 214748365 90% /\n${extra}`

describe('host checks, from what their probes print', () => {
  it('units: active and enabled pass; stopped, disabled, missing and masked fail with the next step', async () => {
    expect(await judge('slurm', 'unit:munge', show('active', 'running', 'enabled'))).toMatchObject({
      observed: 'active (running), enabled',
      status: 'pass',
    })
    const stopped = await judge('slurm', 'unit:munge', show('inactive', 'dead', 'enabled'))
    expect(stopped).toMatchObject({observed: 'inactive (dead), enabled', status: 'fail'})
    expect(stopped.hint).toBe('journalctl -u munge -n 50; then systemctl start munge')
    expect((await judge('slurm', 'unit:munge', show('active', 'running', 'disabled'))).hint).toContain(
      'systemctl enable munge',
    )
    expect((await judge('slurm', 'unit:munge', show('inactive', 'dead', '', 'not-found'))).observed).toBe(
      'munge is not installed',
    )
    expect((await judge('slurm', 'unit:munge', show('inactive', 'dead', 'masked', 'masked'))).hint).toBe(
      'systemctl unmask munge',
    )
  })

  it('resources: each threshold from the inventory; inside a container the figures are reported, not judged', async () => {
    const disk = await judge('system', 'disk', resources(200), 'health_disk_percent_max: 95')
    expect(disk).toMatchObject({observed: '90.0% used (204.8 MiB free of 2.0 GiB)', status: 'pass'})
    expect(await judge('system', 'disk', resources(200))).toMatchObject({
      expected: '/ used under 85% (health_disk_percent_max)',
      status: 'fail',
    })
    const cpu = await judge('system', 'cpu', resources(200))
    expect(cpu).toMatchObject({observed: '50.0% busy over 0.5 s', status: 'pass'})
    expect(await judge('system', 'cpu', resources(0))).toMatchObject({status: 'fail'})
    expect(await judge('system', 'load', resources(200))).toMatchObject({
      observed: 'load 7.01 on 2 CPUs',
      status: 'fail',
    })
    const contained = await judge('system', 'load', resources(200, 'virt systemd-nspawn\n'))
    expect(contained).toMatchObject({
      observed: "container (systemd-nspawn): /proc/loadavg is its host's",
      status: 'skip',
    })
    expect(await judge('system', 'disk', resources(200, 'virt systemd-nspawn\n'))).toMatchObject({status: 'fail'})
  })

  it('systemd: degraded names the failed units', async () => {
    const degraded = await judge(
      'system',
      'systemd',
      'degraded\nrun-rpc_pipefs.mount loaded failed failed RPC Pipe File System\n',
    )
    expect(degraded).toMatchObject({observed: 'degraded; failed: run-rpc_pipefs.mount', status: 'fail'})
    expect(await judge('system', 'systemd', 'running\n')).toMatchObject({status: 'pass'})
  })

  it('time sync: synchronized passes, not synchronized fails, a container is skipped', async () => {
    const synced = 'virt=none\nNTP=yes\nNTPSynchronized=yes\nunit.systemd-timesyncd=active\nunit.chrony=inactive\n'
    expect(await judge('time', 'time_sync', synced)).toMatchObject({
      observed: 'synchronized (systemd-timesyncd active)',
      status: 'pass',
    })
    expect(
      await judge(
        'time',
        'time_sync',
        synced.replace('NTPSynchronized=yes', 'NTPSynchronized=no').replace('=active', '=inactive'),
      ),
    ).toMatchObject({
      observed: 'not synchronized (NTPSynchronized=no; no time daemon active)',
      status: 'fail',
    })
    expect(await judge('time', 'time_sync', 'virt=systemd-nspawn\nNTPSynchronized=no\n')).toMatchObject({
      status: 'skip',
    })
  })

  it('the clock offset is the midpoint estimate, with half the round trip as its uncertainty', () => {
    expect(
      clockOffset({nodeEpochMs: 1_000_300_050, receivedEpochMs: 1_000_000_100, sentEpochMs: 1_000_000_000}),
    ).toEqual({
      offsetMs: 300_000,
      uncertaintyMs: 50,
    })
  })

  it('clock_offset fails only when the offset is beyond the threshold even allowing for the round trip', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gt-clock-'))
    writeFileSync(path.join(dir, 'hosts.yaml'), 'all:\n  hosts:\n    n1: {}\n')
    const context = hostContext(await loadInventory(path.join(dir, 'hosts.yaml')), 'n1')
    const sample = (offsetMs: number, roundTripMs: number) => ({
      clock: {
        nodeEpochMs: 1_000_000 + roundTripMs / 2 + offsetMs,
        receivedEpochMs: 1_000_000 + roundTripMs,
        sentEpochMs: 1_000_000,
      },
      context,
      nowMs: 1_000_000,
    })
    expect(clockVerdict(sample(1400, 1000))).toMatchObject({
      observed: '+1.400 s ± 0.500 s (node minus operator)',
      status: 'pass',
    })
    expect(clockVerdict(sample(-1600, 1000))).toMatchObject({
      observed: '-1.600 s ± 0.500 s (node minus operator)',
      status: 'fail',
    })
    expect(clockVerdict({context, nowMs: 0})).toMatchObject({
      observed: 'the node did not report its clock',
      status: 'fail',
    })
  })

  it('listening ports and OpenSSL dates', () => {
    const ss =
      'LISTEN 0      128    0.0.0.0:22 0.0.0.0:*\nLISTEN 0      4096   10.4.0.11:8500 0.0.0.0:*\nLISTEN 0      128       [::]:6818    [::]:*\n'
    expect([...listeningPorts(ss)]).toEqual([22, 8500, 6818])
    expect(parseOpensslDate('Nov  2 17:00:00 2026 GMT')).toBe(Date.UTC(2026, 10, 2, 17, 0, 0))
    expect(parseOpensslDate('2026-11-02')).toBeUndefined()
  })
})
