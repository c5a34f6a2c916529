import {execa} from 'execa'
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {ConvergeReport} from '../../src/engine/results.js'

import {LAB_KEY, sshSocketPath} from '../../src/lab/paths.js'
import {ensureLabUp, LAB_NODE_NAMES, REPO, runCli, ssh} from '../support/lab.js'
import {labUnavailable} from '../support/lab-context.js'

/** Everything setup_ssh_certificates adds to a node, taken away again (the lab is left as the test found it). */
const UNDO = String.raw`sed -i '/^# BEGIN goldentooth ssh certificates$/,/^# END goldentooth ssh certificates$/d' /etc/ssh/sshd_config
sed -i '/goldentooth-ssh-host-ca$/d' /etc/ssh/ssh_known_hosts 2>/dev/null
rm -f /etc/ssh/ssh_host_ed25519_key-cert.pub /etc/ssh/ssh_user_ca.pub /root/.ssh/config /root/.ssh/id_ed25519_cluster /root/.ssh/id_ed25519_cluster.pub /root/.ssh/id_ed25519_cluster-cert.pub
systemctl reload ssh`

function report(stdout: string): ConvergeReport {
  return JSON.parse(stdout) as ConvergeReport
}

describe.skipIf(labUnavailable())('setup_ssh_certificates on the lab (OpenSSH CA in the state dir)', () => {
  let scratch: string
  let env: Record<string, string>
  const lab = (args: string[], inventory = 'inventory/lab') => runCli(['-i', inventory, ...args], {env})

  /** A copy of the lab inventory; `edit` changes it. */
  function inventoryCopy(name: string, edit: (dir: string) => void): string {
    const dir = path.join(scratch, name)
    cpSync(path.join(REPO, 'inventory/lab'), dir, {recursive: true})
    rmSync(path.join(dir, '.goldentooth'), {force: true, recursive: true})
    edit(dir)
    return dir
  }

  beforeAll(async () => {
    await ensureLabUp()
    scratch = mkdtempSync(path.join(os.tmpdir(), 'gt-ssh-certs-'))
    env = {GOLDENTOOTH_STATE_DIR: path.join(scratch, 'state')}
    for (const node of LAB_NODE_NAMES) await ssh(node, UNDO)
  })

  afterAll(async () => {
    for (const node of LAB_NODE_NAMES) await ssh(node, UNDO)
    rmSync(scratch, {force: true, recursive: true})
  })

  it('signs host and root certificates, and a second run re-signs nothing', async () => {
    const first = await lab(['setup_ssh_certificates', '--json'])
    expect(first.exitCode, first.stderr).toBe(0)
    expect(report(first.stdout).summary).toMatchObject({failed: 0, hosts: 5, unreachable: 0})
    const caKey = path.join(env.GOLDENTOOTH_STATE_DIR!, 'secrets', 'ssh_host_ca')
    expect(statSync(caKey).mode & 0o777).toBe(0o600)
    expect(first.stdout + first.stderr).not.toContain(readFileSync(caKey, 'utf8').split('\n')[1])

    const cert = await ssh(
      'lab1',
      'ssh-keygen -L -f /etc/ssh/ssh_host_ed25519_key-cert.pub; sha256sum /etc/ssh/ssh_host_ed25519_key-cert.pub',
    )
    expect(cert.stdout).toContain('host certificate')
    expect(cert.stdout).toMatch(/Key ID: "lab1"/)
    expect(cert.stdout).toMatch(/Principals:\s+lab1\s+10\.77\.0\.11\s/)
    const caFingerprint = (await execa('ssh-keygen', ['-lf', caKey])).stdout.split(' ')[1]!
    expect(cert.stdout).toContain(`Signing CA: ED25519 ${caFingerprint}`)

    const second = await lab(['setup_ssh_certificates', '--json'])
    expect(second.exitCode).toBe(0)
    expect(report(second.stdout).summary).toMatchObject({changed: 0, failed: 0, hosts: 5})
    const after = await ssh('lab1', 'sha256sum /etc/ssh/ssh_host_ed25519_key-cert.pub')
    expect(cert.stdout).toContain(after.stdout.split(' ')[0])
  })

  it('after ssh trust, goldentooth and ssh reach every node through the @cert-authority line alone', async () => {
    const knownHosts = path.join(scratch, 'known_hosts')
    writeFileSync(knownHosts, '')
    const inventory = inventoryCopy('trusting', (dir) => {
      const vars = path.join(dir, 'group_vars/all.yaml')
      const text = readFileSync(vars, 'utf8').replace(
        '-o UserKnownHostsFile=/var/lib/goldentooth/lab/known_hosts',
        `-o UserKnownHostsFile=${knownHosts} -o GlobalKnownHostsFile=/dev/null`,
      )
      writeFileSync(vars, text)
    })
    const untrusted = await lab(['ping', 'all', '--json'], inventory)
    expect(untrusted.exitCode).toBe(1)
    expect(untrusted.stdout).toMatch(/host key/i)

    const trust = await lab(['ssh', 'trust', '--known-hosts', knownHosts, '--json'], inventory)
    expect(trust.exitCode, trust.stderr).toBe(0)
    const lines = readFileSync(knownHosts, 'utf8').trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^@cert-authority \S*10\.77\.0\.12\S* ssh-ed25519 \S+ goldentooth-ssh-host-ca$/)
    const again = await lab(['ssh', 'trust', '--known-hosts', knownHosts, '--json'], inventory)
    expect(JSON.parse(again.stdout)).toMatchObject({changed: false})

    const ping = await lab(['ping', 'all', '--json'], inventory)
    expect(ping.exitCode, ping.stdout).toBe(0)
    expect(JSON.parse(ping.stdout).summary).toMatchObject({failed: 0, ok: 5, unreachable: 0})

    const system = await execa(
      'ssh',
      [
        '-F',
        '/dev/null',
        '-o',
        'BatchMode=yes',
        '-o',
        'StrictHostKeyChecking=yes',
        '-o',
        `UserKnownHostsFile=${knownHosts}`,
        '-o',
        'GlobalKnownHostsFile=/dev/null',
        '-o',
        `ProxyCommand=socat - UNIX-CONNECT:${sshSocketPath('10.77.0.12')}`,
        '-i',
        LAB_KEY,
        'root@10.77.0.12',
        'hostname',
      ],
      {reject: false},
    )
    expect(system.stderr).not.toMatch(/Permanently added/)
    expect(system.stdout).toBe('lab2')
  })

  it('root on one node logs in to another with its user certificate, verifying the host by its certificate', async () => {
    const strict =
      '-F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=/dev/null -o IdentitiesOnly=yes'
    const withCert = await ssh('lab1', `ssh ${strict} -i /root/.ssh/id_ed25519_cluster root@10.77.0.12 hostname`)
    expect(withCert.stdout, withCert.stderr).toBe('lab2')
    const withoutCert = await ssh(
      'lab1',
      `k=$(mktemp -d)/key; cp /root/.ssh/id_ed25519_cluster "$k"; ssh ${strict} -i "$k" root@10.77.0.12 hostname; echo "rc=$?"; rm -r "$(dirname "$k")"`,
    )
    expect(withoutCert.stdout).toMatch(/rc=255$/)
    expect(withoutCert.stderr).toMatch(/Permission denied/)
  })

  it('an sshd_config change that passes sshd -t but locks logins out is undone on that node', async () => {
    const inventory = inventoryCopy('lockout', (dir) => {
      mkdirSync(path.join(dir, 'host_vars'), {recursive: true})
      writeFileSync(
        path.join(dir, 'host_vars/lab3.yaml'),
        'ssh_certificates:\n  ca: openssh\n  sshd_extra:\n    - AllowUsers nobody\n',
      )
    })
    const run = await lab(['setup_ssh_certificates', '--json'], inventory)
    expect(run.exitCode).toBe(1)
    const result = report(run.stdout)
    const lab3 = result.hosts.find((host) => host.host === 'lab3')!
    const block = lab3.resources.find((r) => r.id === 'block:/etc/ssh/sshd_config#goldentooth ssh certificates')!
    expect(block.status).toBe('failed')
    expect(block.message).toMatch(
      /^a new SSH login works failed after this change \(a new connection failed: authentication failed/,
    )
    expect(block.message).toMatch(
      /restored the previous file \(restored \/etc\/ssh\/sshd_config, reload-or-restart ssh.service\); a new SSH login works again$/,
    )
    for (const host of result.hosts.filter((h) => h.host !== 'lab3')) expect(host).toMatchObject({changed: 0, ok: true})

    const config = await ssh('lab3', 'grep -c AllowUsers /etc/ssh/sshd_config; sshd -T | grep -i ^allowusers; hostname')
    expect(config.stdout).toBe('0\nlab3')
    const after = await lab(['setup_ssh_certificates', 'lab3', '--json'])
    expect(report(after.stdout).summary).toMatchObject({changed: 0, failed: 0})
  })
})
