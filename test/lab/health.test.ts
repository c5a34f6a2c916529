import {execa} from 'execa'
import {XMLParser, XMLValidator} from 'fast-xml-parser'
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {CheckResult, HealthReport} from '../../src/health/model.js'

import {LAB_SSH_CONFIG} from '../../src/lab/paths.js'
import {issue, makeCa} from '../health/openssl.js'
import {ensureLabUp, LAB_NODE_NAMES, REPO, runCli, ssh} from '../support/lab.js'
import {labUnavailable} from '../support/lab-context.js'

/** `goldentooth -i INVENTORY test ARGS --json`: the exit code and the parsed report. */
async function health(args: string[], inventory = 'inventory/lab') {
  const run = await runCli(['-i', inventory, 'test', ...args, '--json'])
  let report: HealthReport
  try {
    report = JSON.parse(run.stdout) as HealthReport
  } catch {
    throw new Error(`no JSON report (exit ${run.exitCode}): ${run.stdout}\n${run.stderr}`)
  }
  return {exitCode: run.exitCode, report}
}

const id = (check: CheckResult) => `${check.suite}/${check.name}@${check.host}`
const failures = (report: HealthReport) => report.checks.filter((check) => check.status === 'fail').map(id)
const find = (report: HealthReport, suite: string, name: string, host: string) =>
  report.checks.find((check) => check.suite === suite && check.name === name && check.host === host)

/** Run a command on a node with its stdin (the lab ssh_config that `lab up` writes). */
async function sshWithInput(node: string, command: string, input: string): Promise<void> {
  await execa('ssh', ['-F', LAB_SSH_CONFIG, '-o', 'BatchMode=yes', node, command], {input})
}

/** Slurm needs a moment to see a restarted MUNGE or slurmd: wait until every controller answers again. */
async function slurmSettled(): Promise<void> {
  for (let attempt = 0; attempt < 30; attempt++) {
    const ping = await ssh('lab1', 'scontrol ping')
    if (ping.exitCode === 0 && !ping.stdout.includes('DOWN')) return
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  throw new Error('a slurmctld stayed DOWN after the fault was undone')
}

async function must(node: string, command: string): Promise<string> {
  const result = await ssh(node, command)
  if (result.exitCode !== 0) throw new Error(`${node}: ${command}: exit ${result.exitCode}: ${result.stderr}`)
  return result.stdout
}

describe.skipIf(labUnavailable())('goldentooth test on the lab', () => {
  let scratch: string

  beforeAll(async () => {
    await ensureLabUp()
    scratch = mkdtempSync(path.join(os.tmpdir(), 'gt-health-lab-'))
    for (const role of ['configure_cluster', 'setup_ssh_certificates', 'setup_slurm']) {
      const converged = await runCli(['-i', 'inventory/lab', role])
      if (converged.exitCode !== 0) throw new Error(`${role} failed: ${converged.stdout}\n${converged.stderr}`)
    }
    // Other roles tried on these nodes leave units that cannot work in a container failed (nfsd's mounts): start clean.
    for (const node of LAB_NODE_NAMES) await ssh(node, 'systemctl reset-failed')
  })

  afterAll(() => {
    rmSync(scratch, {force: true, recursive: true})
  })

  it('test all is green after configure_cluster, setup_ssh_certificates and setup_slurm, with valid JSON, JUnit and Prometheus reports', async () => {
    const junit = path.join(scratch, 'health.xml')
    const prometheus = path.join(scratch, 'goldentooth.prom')
    const started = performance.now()
    const {exitCode, report} = await health(['all', '--junit', junit, '--prometheus', prometheus])
    const elapsedMs = performance.now() - started
    expect(failures(report)).toEqual([])
    expect(exitCode).toBe(0)
    expect(report.summary.failed).toBe(0)
    expect(report.summary.passed).toBeGreaterThan(40)
    for (const host of LAB_NODE_NAMES) {
      expect(find(report, 'time', 'clock_offset', host)?.status).toBe('pass')
      expect(find(report, 'ssh', 'reachable', host)?.status).toBe('pass')
      expect(find(report, 'system', 'disk', host)?.status).toBe('pass')
      expect(find(report, 'ssh', 'host_certificate', host)).toMatchObject({status: 'pass'})
    }
    expect(find(report, 'ssh', 'host_ca', 'cluster')).toMatchObject({status: 'pass'})
    for (const host of ['lab1', 'lab2', 'lab3', 'lab4'])
      expect(find(report, 'slurm', 'unit:slurmd', host)?.status).toBe('pass')
    expect(find(report, 'slurm', 'unit:slurmd', 'lab5')).toBeUndefined()
    expect(find(report, 'slurm', 'nodes', 'cluster')).toMatchObject({
      observed: '4 of 4 usable (asked lab1)',
      status: 'pass',
    })
    expect(find(report, 'consul', 'suite', 'lab1')).toMatchObject({status: 'skip'})
    const durations = new Set(report.checks.filter((check) => check.status !== 'skip').map((check) => check.durationMs))
    expect(durations.size).toBeGreaterThan(5)
    expect(find(report, 'system', 'cpu', 'lab1')!.durationMs).toBeGreaterThanOrEqual(500)
    console.log(
      `test all on the lab: ${report.checks.length} checks in ${Math.round(elapsedMs)} ms (summary ${report.summary.durationMs} ms)`,
    )

    const xml = readFileSync(junit, 'utf8')
    expect(XMLValidator.validate(xml)).toBe(true)
    const suites = new XMLParser({ignoreAttributes: false, isArray: (name) => name === 'testsuite'}).parse(
      xml,
    ).testsuites
    expect(suites['@_failures']).toBe('0')
    expect(Number(suites['@_tests'])).toBe(report.checks.length)
    const text = readFileSync(prometheus, 'utf8')
    const promtool = await execa('promtool', ['check', 'metrics'], {input: text, reject: false})
    expect(promtool.exitCode, promtool.stdout + promtool.stderr).toBe(0)
    expect(text).toContain('goldentooth_check_success{host="cluster",suite="slurm",check="nodes"} 1')
  })

  it('a stopped service fails its unit check on that host, and what depends on it (the backup slurmctld there), exit 1', async () => {
    try {
      await must('lab2', 'systemctl stop munge')
      const {exitCode, report} = await health(['slurm'])
      expect(exitCode).toBe(1)
      expect(find(report, 'slurm', 'unit:munge', 'lab2')).toMatchObject({
        observed: 'inactive (dead), enabled',
        status: 'fail',
      })
      expect(failures(report).sort()).toEqual([
        'slurm/controller@cluster',
        'slurm/munge_credential@lab2',
        'slurm/unit:munge@lab2',
      ])
      expect(find(report, 'slurm', 'controller', 'cluster')!.observed).toContain('lab2 (backup1) DOWN')
      expect(find(report, 'slurm', 'unit:munge', 'lab1')?.status).toBe('pass')
    } finally {
      await must('lab2', 'systemctl start munge')
      await slurmSettled()
    }
  })

  it('a stopped slurmd fails slurmd on that host; a drained node fails the cluster check with its reason', async () => {
    try {
      await must('lab3', 'systemctl stop slurmd')
      await must('lab1', "scontrol update nodename=lab4 state=drain reason='health test: disk replaced'")
      const {exitCode, report} = await health(['slurm'])
      expect(exitCode).toBe(1)
      expect(failures(report).sort()).toEqual([
        'slurm/nodes@cluster',
        'slurm/ports:slurmd@lab3',
        'slurm/unit:slurmd@lab3',
      ])
      expect(find(report, 'slurm', 'nodes', 'cluster')!.observed).toBe(
        '3 of 4 usable (asked lab1): lab4 drained: health test: disk replaced',
      )
    } finally {
      await must('lab3', 'systemctl start slurmd')
      await must('lab1', 'scontrol update nodename=lab4 state=resume')
      await slurmSettled()
    }
  })

  it('a certificate an hour from expiry, past its renewal point and with no renewer, is reported on its host', async () => {
    const ca = makeCa()
    const now = Date.now()
    const certificate = issue(ca, 'gthealth', new Date(now - 23 * 3600_000), new Date(now + 3600_000))
    const dropin = '/etc/systemd/system/cert-renewer@gthealth.service.d'
    const prometheus = path.join(scratch, 'certificates.prom')
    try {
      await sshWithInput(
        'lab2',
        'mkdir -p /etc/goldentooth-health-test && cat > /etc/goldentooth-health-test/tls.crt',
        readFileSync(certificate, 'utf8'),
      )
      await sshWithInput(
        'lab2',
        `mkdir -p ${dropin} && cat > ${dropin}/override.conf && systemctl daemon-reload`,
        '[Service]\nEnvironment=CERT_LOCATION=/etc/goldentooth-health-test/tls.crt\nEnvironment=EXPIRES_IN_THRESHOLD=66%%\n',
      )
      const {exitCode, report} = await health(['certificates', '--prometheus', prometheus])
      expect(exitCode).toBe(1)
      expect(failures(report).sort()).toEqual([
        'certificates/gthealth:renewal@lab2',
        'certificates/gthealth:renewer@lab2',
      ])
      const valid = find(report, 'certificates', 'gthealth:valid', 'lab2')!
      expect(valid.status).toBe('pass')
      expect(valid.certificateExpirySeconds).toBeGreaterThan(3300)
      expect(valid.certificateExpirySeconds).toBeLessThanOrEqual(3600)
      expect(find(report, 'certificates', 'gthealth:renewal', 'lab2')!.observed).toMatch(
        /^inside its renewal window for \d+ s \(7\.\d h\): not renewed$/,
      )
      expect(find(report, 'certificates', 'gthealth:renewer', 'lab2')!.observed).toBe(
        'cert-renewer@gthealth.timer is not installed',
      )
      expect(find(report, 'certificates', 'certificates', 'lab1')).toMatchObject({status: 'skip'})
      const text = readFileSync(prometheus, 'utf8')
      expect(text).toMatch(
        /goldentooth_certificate_expiry_seconds\{host="lab2",suite="certificates",check="gthealth:valid"\} 3[3-6]\d\d\n/,
      )
    } finally {
      await must('lab2', `rm -rf ${dropin} /etc/goldentooth-health-test && systemctl daemon-reload`)
    }
  })

  it('a root filesystem filled past its threshold fails disk on that host', async () => {
    try {
      const [size, used] = (await must('lab4', 'df -B1 --output=size,used / | tail -n 1'))
        .trim()
        .split(/\s+/)
        .map(Number)
      await must('lab4', `fallocate -l ${Math.ceil(size! * 0.9 - used!)} /var/tmp/goldentooth-health-fill`)
      const {exitCode, report} = await health(['system'])
      expect(exitCode).toBe(1)
      expect(failures(report)).toEqual(['system/disk@lab4'])
      expect(find(report, 'system', 'disk', 'lab4')!.observed).toMatch(/^(9\d|8[5-9])\.\d% used/)
    } finally {
      await must('lab4', 'rm -f /var/tmp/goldentooth-health-fill')
    }
  })

  it('a node whose clock reads 5 minutes fast fails clock_offset on that node only', async () => {
    // systemd-nspawn refuses `date -s` (no CAP_SYS_TIME) and the nodes share this machine's clock, so the node's clock is
    // skewed where the health script reads it: a `date` ahead of /usr/bin/date on root's PATH, 300 s fast.
    const wrapper = `#!/bin/sh\nt=$(/usr/bin/date +%s.%N)\nexec /usr/bin/date -d "@$(echo "$t" | awk '{printf "%.9f", $1 + 300}')" "$@"\n`
    try {
      await sshWithInput('lab3', 'cat > /usr/local/bin/date && chmod 755 /usr/local/bin/date', wrapper)
      const {exitCode, report} = await health(['time'])
      expect(exitCode).toBe(1)
      expect(failures(report)).toEqual(['time/clock_offset@lab3'])
      expect(find(report, 'time', 'clock_offset', 'lab3')!.observed).toMatch(
        /^\+300\.\d{3} s ± 0\.\d{3} s \(node minus operator\)$/,
      )
      expect(find(report, 'time', 'clock_offset', 'lab2')!.observed).toMatch(/^[+-]0\.\d{3} s/)
    } finally {
      await must('lab3', 'rm -f /usr/local/bin/date')
    }
  })

  it('an unreachable host fails ssh/reachable and the others still run', async () => {
    const inventory = path.join(scratch, 'inventory')
    cpSync(path.join(REPO, 'inventory/lab'), inventory, {recursive: true})
    rmSync(path.join(inventory, '.goldentooth'), {force: true, recursive: true})
    const hosts = path.join(inventory, 'hosts.yaml')
    const lab5 = '            lab5:\n              ansible_host: 10.77.0.15\n'
    const text = readFileSync(hosts, 'utf8')
    expect(text).toContain(lab5)
    writeFileSync(hosts, text.replace(lab5, `${lab5}            lab6:\n              ansible_host: 10.77.0.99\n`))
    const {exitCode, report} = await health(['ssh'], inventory)
    expect(exitCode).toBe(1)
    expect(failures(report)).toEqual(['ssh/reachable@lab6'])
    expect(find(report, 'ssh', 'reachable', 'lab6')!.observed).toBe('the lab is not running: goldentooth lab up')
    expect(find(report, 'ssh', 'host_ca', 'cluster')).toMatchObject({status: 'pass'})
    expect(readFileSync(path.join(inventory, '.goldentooth', 'retry'), 'utf8')).toBe('lab6\n')
  })
})
