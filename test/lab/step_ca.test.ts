import {execa} from 'execa'
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {ConvergeReport} from '../../src/engine/results.js'

import {ensureLabUp, LAB_NODE_NAMES, REPO, runCli, ssh} from '../support/lab.js'
import {labUnavailable} from '../support/lab-context.js'

/** Everything setup_step_ca and setup_cert_canary put on a node, taken away again. */
const UNDO = String.raw`systemctl disable --now cert-renewer@cert-canary.timer cert-canary.timer step-ca.service 2>/dev/null
rm -rf /etc/step-ca /root/.step /etc/goldentooth/certificates /var/lib/goldentooth/certificates /opt/cert-canary \
  /usr/local/sbin/goldentooth-cert /etc/systemd/system/cert-renewer@* /etc/systemd/system/step-ca.service \
  /etc/systemd/system/cert-canary.service /etc/systemd/system/cert-canary.timer \
  /usr/local/share/ca-certificates/goldentooth.crt
update-ca-certificates >/dev/null 2>&1
for user in step cert-canary; do userdel "$user" 2>/dev/null; groupdel "$user" 2>/dev/null; done
systemctl daemon-reload; systemctl reset-failed; true`

function report(stdout: string): ConvergeReport {
  return JSON.parse(stdout) as ConvergeReport
}

function host(result: ConvergeReport, name: string) {
  return result.hosts.find((h) => h.host === name)!
}

describe.skipIf(labUnavailable())('setup_step_ca and service certificates on the lab', () => {
  let scratch: string
  let env: Record<string, string>
  let withBinaries: string
  let root: string
  const lab = (args: string[], inventory = 'inventory/lab') => runCli(['-i', inventory, ...args], {env})

  function inventoryCopy(name: string, extraVars: string): string {
    const dir = path.join(scratch, name)
    cpSync(path.join(REPO, 'inventory/lab'), dir, {recursive: true})
    rmSync(path.join(dir, '.goldentooth'), {force: true, recursive: true})
    writeFileSync(path.join(dir, 'group_vars/all.yaml'), `\n${extraVars}`, {flag: 'a'})
    return dir
  }

  beforeAll(async () => {
    await ensureLabUp()
    scratch = mkdtempSync(path.join(os.tmpdir(), 'gt-step-ca-'))
    env = {
      GOLDENTOOTH_STATE_DIR: path.join(scratch, 'state'),
      XDG_CACHE_HOME: path.join(scratch, 'cache'),
    }
    for (const node of LAB_NODE_NAMES) await ssh(node, UNDO)
    withBinaries = inventoryCopy('install-none', 'step_ca:\n  install: none\n')
    await execa('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      path.join(scratch, 'root.key'),
      '-out',
      path.join(scratch, 'root_ca.crt'),
      '-subj',
      '/CN=goldentooth lab test root',
      '-days',
      '2',
    ])
    root = readFileSync(path.join(scratch, 'root_ca.crt'), 'utf8')
  })

  afterAll(async () => {
    for (const node of LAB_NODE_NAMES) await ssh(node, UNDO)
    rmSync(scratch, {force: true, recursive: true})
  })

  it('stops before changing anything when step-ca and step are not in --artifacts, naming both', async () => {
    const artifacts = path.join(scratch, 'artifacts')
    mkdirSync(artifacts)
    const run = await lab(['setup_step_ca', '--artifacts', artifacts])
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toContain(
      'missing artifacts: step-ca 0.28.1 (amd64): step-ca_linux_0.28.1_amd64.tar.gz; ' +
        'step 0.28.2 (amd64): step_linux_0.28.2_amd64.tar.gz; nothing was changed on any host',
    )
    expect(run.stderr).toContain('step-ca_0.28.1_checksums.txt')
    const lab4 = await ssh('lab4', 'id step; ls /etc/step-ca /etc/systemd/system/step-ca.service')
    expect(lab4.stderr).toMatch(/no such user/)
    expect(lab4.stdout).toBe('')
    for (const node of LAB_NODE_NAMES) {
      const trust = await ssh(node, 'ls /usr/local/share/ca-certificates/goldentooth.crt /root/.step 2>&1')
      expect(trust.stdout).toMatch(/No such file/)
    }
  })

  it('with step and step-ca already installed (install: none), converges everything that needs no binary', async () => {
    await ssh(
      'lab4',
      `mkdir -p /etc/step-ca/certs /etc/step-ca/config && printf '%s' '${root}' > /etc/step-ca/certs/root_ca.crt && ` +
        `printf '%s' '{"root": "/etc/step-ca/certs/root_ca.crt", "authority": {"provisioners": []}}' > /etc/step-ca/config/ca.json`,
    )
    const first = await lab(['setup_step_ca', '--json'], withBinaries)
    expect(first.exitCode, first.stderr).toBe(0)
    const lab4 = host(report(first.stdout), 'lab4')
    expect(lab4.resources.find((r) => r.id === 'command:step ca init')?.status).toBe('ok')
    expect(lab4.resources.find((r) => r.id === 'file:/etc/step-ca/config/ca.json')?.status).toBe('changed')

    const ca = await ssh(
      'lab4',
      'stat -c "%n %U:%G %a" /etc/step-ca /etc/step-ca/db /etc/step-ca/.password_intermediate.txt ' +
        '/etc/step-ca/.password_jwk_provisioner.txt; cat /etc/step-ca/certs/root_ca.crt; systemctl is-enabled step-ca',
    )
    expect(ca.stdout).toContain('/etc/step-ca step:step 700\n/etc/step-ca/db step:step 700\n')
    expect(ca.stdout).toContain('/etc/step-ca/.password_intermediate.txt step:step 600\n')
    expect(ca.stdout).toContain('/etc/step-ca/.password_jwk_provisioner.txt step:step 600\n')
    expect(ca.stdout).toContain(root.trim())
    expect(ca.stdout).toMatch(/enabled$/)
    const claims = JSON.parse((await ssh('lab4', 'cat /etc/step-ca/config/ca.json')).stdout) as {
      authority: {claims: Record<string, unknown>}
    }
    expect(claims.authority.claims).toEqual({allowRenewalAfterExpiry: true, maxTLSCertDuration: '168h'})

    const fingerprint = (
      await execa('openssl', ['x509', '-in', path.join(scratch, 'root_ca.crt'), '-noout', '-fingerprint', '-sha256'])
    ).stdout
      .replace(/^.*=/, '')
      .replaceAll(':', '')
      .toLowerCase()
    const secret = readFileSync(
      path.join(env.GOLDENTOOTH_STATE_DIR!, 'secrets', 'step_ca_provisioner_password'),
      'utf8',
    )
    expect(first.stdout + first.stderr).not.toContain(secret)
    for (const node of ['lab2', 'lab5']) {
      const client = await ssh(
        node,
        'readlink /etc/ssl/certs/goldentooth.pem; cat /root/.step/config/defaults.json; ' +
          'stat -c "%U:%G %a" /root/.step/jwk_provisioner_password.txt; cat /root/.step/jwk_provisioner_password.txt; echo; ' +
          'openssl verify -CApath /etc/ssl/certs /root/.step/certs/root_ca.crt',
      )
      const [link, ...rest] = client.stdout.split('\n')
      expect(link).toBe('/usr/local/share/ca-certificates/goldentooth.crt')
      expect(JSON.parse(rest.slice(0, 5).join('\n'))).toEqual({
        'ca-url': 'https://10.77.0.14:9443',
        fingerprint,
        root: '/root/.step/certs/root_ca.crt',
      })
      expect(client.stdout).toContain(`root:root 600\n${secret}\n`)
      expect(client.stdout).toContain('/root/.step/certs/root_ca.crt: OK')
    }

    const second = await lab(['setup_step_ca', '--json'], withBinaries)
    expect(second.exitCode).toBe(0)
    const again = report(second.stdout)
    expect(again.summary).toMatchObject({changed: 0, failed: 0, hosts: 5})
    expect(host(again, 'lab4').resources.find((r) => r.id === 'service:step-ca.service')).toMatchObject({
      reasons: [expect.stringMatching(/not started: its unit conditions \(Condition\*=\) do not hold on this host/)],
      status: 'warning',
    })
  })

  it('a node whose trust and bootstrap were broken fails while it cannot be fixed, and the next run restores it', async () => {
    await ssh(
      'lab2',
      'rm /usr/local/share/ca-certificates/goldentooth.crt && update-ca-certificates >/dev/null; rm -r /root/.step/config && touch /root/.step/config',
    )
    const broken = await lab(['setup_step_ca', 'lab2', '--json'], withBinaries)
    expect(broken.exitCode).toBe(1)
    const lab2 = host(report(broken.stdout), 'lab2')
    expect(lab2.resources.find((r) => r.id === 'directory:/root/.step/config')).toMatchObject({
      message: '/root/.step/config exists and is not a directory',
      status: 'failed',
    })
    await ssh('lab2', 'rm /root/.step/config')
    const fixed = await lab(['setup_step_ca', 'lab2', '--json'], withBinaries)
    expect(fixed.exitCode).toBe(0)
    const restored = await ssh(
      'lab2',
      'openssl verify -CApath /etc/ssl/certs /root/.step/certs/root_ca.crt; test -s /root/.step/config/defaults.json && echo bootstrapped',
    )
    expect(restored.stdout).toBe('/root/.step/certs/root_ca.crt: OK\nbootstrapped')
    const idle = await lab(['setup_step_ca', 'lab2', '--json'], withBinaries)
    expect(report(idle.stdout).summary).toMatchObject({changed: 0, failed: 0})
  })

  it('a service certificate: drop-in and timer for real, issuing stops naming the missing step CLI', async () => {
    const run = await lab(['setup_cert_canary', '--json'], withBinaries)
    expect(run.exitCode).toBe(1)
    const resources = host(report(run.stdout), 'lab4').resources
    const status = (id: string) => resources.find((r) => r.id === id)?.status
    expect(status('file:/etc/goldentooth/certificates/cert-canary.env')).toBe('changed')
    expect(status('file:/etc/systemd/system/cert-renewer@cert-canary.service.d/goldentooth.conf')).toBe('changed')
    expect(status('service:cert-renewer@cert-canary.timer')).toBe('changed')
    expect(resources.find((r) => r.id === 'command:issue certificate cert-canary')).toMatchObject({
      message: 'goldentooth-cert: the step CLI is not installed at /usr/local/bin/step (setup_step_ca installs it)',
      status: 'failed',
    })
    const units = await ssh(
      'lab4',
      'systemctl is-enabled cert-renewer@cert-canary.timer; systemctl is-active cert-renewer@cert-canary.timer; ' +
        'systemctl show -p Environment -p WorkingDirectory cert-renewer@cert-canary.service',
    )
    expect(units.stdout).toMatch(/^enabled\nactive\n/)
    expect(units.stdout).toContain('CERT_LOCATION=/opt/cert-canary/certs/tls.crt')
    expect(units.stdout).toContain('KEY_LOCATION=/opt/cert-canary/certs/tls.key')
    expect(units.stdout).toContain('EXPIRES_IN_THRESHOLD=50%')
    expect(units.stdout).toContain('WorkingDirectory=/opt/cert-canary/certs')
  })

  it('rotate_certs goes one host at a time and stops at the first failure', async () => {
    const run = await lab(['rotate_certs', 'cert-canary', '--json'], withBinaries)
    expect(run.exitCode).toBe(1)
    expect(JSON.parse(run.stdout)).toEqual({
      results: [
        {host: 'lab1', message: expect.stringContaining('no certificate cert-canary here'), status: 'skipped'},
        {host: 'lab2', message: expect.stringContaining('no certificate cert-canary here'), status: 'skipped'},
        {host: 'lab3', message: expect.stringContaining('no certificate cert-canary here'), status: 'skipped'},
        {host: 'lab4', message: expect.stringContaining('the step CLI is not installed'), status: 'failed'},
        {host: 'lab5', message: 'not run: an earlier host failed', status: 'not-run'},
      ],
      service: 'cert-canary',
    })
  })

  it("rejects the original canary's renewal arithmetic before anything runs, with the numbers", async () => {
    const original = inventoryCopy(
      'canary-15m',
      'step_ca:\n  install: none\ncert_canary:\n  lifetime: 15m\n  renew_when_left: 0.5\n',
    )
    await ssh('lab4', 'rm -f /etc/goldentooth/certificates/cert-canary.env')
    const run = await lab(['setup_cert_canary'], original)
    expect(run.exitCode).toBe(3)
    expect(run.stderr).toContain(
      'cert-canary: a 15m certificate renewed with 50% of its lifetime left has a 7m30s renewal window, but 3 timer ' +
        'firings (every 5m + up to 1m jitter) need 18m',
    )
    expect((await ssh('lab4', 'ls /etc/goldentooth/certificates')).stdout).toBe('')
  })

  it('zap_cluster_ca --confirm lab4 deletes the CA directory on lab4 only', async () => {
    const run = await lab(['zap_cluster_ca', '--confirm', 'lab4', '--json'], withBinaries)
    expect(run.exitCode, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({directory: '/etc/step-ca', host: 'lab4'})
    expect(JSON.parse(run.stdout).deleted).toBeGreaterThanOrEqual(6)
    expect((await ssh('lab4', 'ls -A /etc/step-ca')).stdout).toBe('')
    expect((await ssh('lab2', 'test -s /root/.step/certs/root_ca.crt && echo kept')).stdout).toBe('kept')
  })
})
