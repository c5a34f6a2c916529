import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'

import {execa} from 'execa'
import {beforeAll, describe, expect, it} from 'vitest'

import {loadInventory} from '../../src/inventory/load.js'
import {APT_CACHE_DIR, BRIDGE, LAB_KNOWN_HOSTS, LAB_SSH_CONFIG, NETNS} from '../../src/lab/paths.js'
import {readState} from '../../src/lab/state.js'
import {shSplit} from '../../src/transport/quote.js'
import {ensureLabUp, LAB_NODE_NAMES, REPO, runCli, ssh} from '../support/lab.js'
import {labUnavailable} from '../support/lab-context.js'

const ADDRESSES = ['10.77.0.11', '10.77.0.12', '10.77.0.13', '10.77.0.14', '10.77.0.15']

function filesUnder(dir: string): string[] {
  return readdirSync(dir, {recursive: true, encoding: 'utf8'}).map((file) => path.join(dir, file))
}

describe.skipIf(labUnavailable())('a running lab', () => {
  beforeAll(async () => {
    await ensureLabUp()
  })

  it('has five nodes, each answering over its socket with its own hostname and address', async () => {
    const answers = await Promise.all(
      LAB_NODE_NAMES.map((node) => ssh(node, 'hostname; ip -4 -o address show dev host0 | cut -d" " -f7')),
    )
    expect(answers.map((answer) => answer.exitCode)).toEqual([0, 0, 0, 0, 0])
    expect(answers.map((answer) => answer.stdout)).toEqual(
      LAB_NODE_NAMES.map((node, index) => `${node}\n${ADDRESSES[index]}/24`),
    )
  })

  it('boots systemd as PID 1 on every node, and systemd reports the system running with no failed unit', async () => {
    const answers = await Promise.all(
      LAB_NODE_NAMES.map((node) =>
        ssh(node, 'ps -o comm= -p 1; systemctl is-system-running --wait; systemctl --failed --plain --no-legend'),
      ),
    )
    for (const answer of answers) expect(answer.stdout).toBe('systemd\nrunning')
  })

  it('gives each node cgroups of its own, so that no two nodes share a systemd unit', () => {
    const state = readState()
    for (const node of LAB_NODE_NAMES) {
      const nspawn = state?.nodes[node]?.nspawn
      expect(readFileSync(`/proc/${nspawn?.pid}/cgroup`, 'utf8')).toContain(`:/goldentooth-lab/${node}/supervisor\n`)
    }
  })

  it('connects the nodes to each other on 10.77.0.0/24', async () => {
    const pings = await Promise.all(
      LAB_NODE_NAMES.map((node, index) => ssh(node, `ping -c 1 -W 2 ${ADDRESSES[(index + 1) % ADDRESSES.length]}`)),
    )
    expect(pings.map((ping) => ping.exitCode)).toEqual([0, 0, 0, 0, 0])
  })

  it('leaves the host namespace without any route or interface into the lab', async () => {
    const route = (await execa('ip', ['-o', 'route', 'get', '10.77.0.11'])).stdout
    expect(route).not.toMatch(new RegExp(`dev (${BRIDGE}|vb-)`))
    const links = (await execa('ip', ['-o', 'link', 'show'])).stdout
    expect(links).not.toMatch(new RegExp(`: (${BRIDGE}|vb-lab)`))
    const addresses = (await execa('ip', ['-o', 'address', 'show'])).stdout
    expect(addresses).not.toContain('10.77.0.')
    const inside = (await execa('ip', ['-n', NETNS, '-o', 'route', 'show'])).stdout
    expect(inside).toMatch(new RegExp(`^10\\.77\\.0\\.0/24 dev ${BRIDGE} `))
    expect(inside).not.toContain('default')
  })

  it('reaches nodes with the ssh options the inventory gives Ansible, pssh and GNU parallel', async () => {
    const vars = (await loadInventory(path.join(REPO, 'inventory/lab'))).hostVars('lab3')
    const args = [
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=yes',
      '-i',
      String(vars.ansible_ssh_private_key_file),
      ...shSplit(String(vars.ansible_ssh_common_args)),
      `${String(vars.ansible_user)}@${String(vars.ansible_host)}`,
      'hostname',
    ]
    const result = await execa('ssh', args, {reject: false, stdin: 'ignore'})
    expect(result.stdout).toBe('lab3')
    expect(readFileSync(LAB_KNOWN_HOSTS, 'utf8')).toMatch(/^10\.77\.0\.13 ssh-ed25519 \S+$/m)
    expect(readFileSync(LAB_SSH_CONFIG, 'utf8')).toContain(
      'Host lab3 10.77.0.13\n  HostName 10.77.0.13\n  User root\n  IdentityFile /var/lib/goldentooth/lab/id_ed25519',
    )
  })

  it('installs Debian packages through the apt proxy, with no route out of the lab', async () => {
    const node = 'lab3'
    expect((await ssh(node, 'ip route show default')).stdout).toBe('')
    const install = await ssh(
      node,
      'apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q hello >/dev/null && hello',
    )
    expect(install.stderr).not.toMatch(/^E: /m)
    expect(install.stdout).toBe('Hello, world!')
    expect(filesUnder(APT_CACHE_DIR).some((file) => /\/hello_[^/]+\.deb$/.test(file))).toBe(true)
  })

  it('lab status --json reports every node running with its pid, uptime and socket', async () => {
    const status = await runCli(['lab', 'status', '--json'])
    expect(status.exitCode).toBe(0)
    const report = JSON.parse(status.stdout) as {up: boolean; nodes: Array<Record<string, unknown>>}
    expect(report.up).toBe(true)
    expect(report.nodes.map((node) => [node.name, node.address, node.state, node.socketPresent])).toEqual(
      LAB_NODE_NAMES.map((node, index) => [node, ADDRESSES[index], 'running', true]),
    )
    for (const node of report.nodes) {
      expect(node.pid).toBeGreaterThan(1)
      expect(node.uptimeSeconds).toBeGreaterThanOrEqual(0)
      expect(node.socket).toBe(`/run/goldentooth/lab/ssh/${String(node.address)}.sock`)
    }
  })

  it('lab ssh runs a command on a node and exits with its exit code', async () => {
    const hostname = await runCli(['lab', 'ssh', 'lab2', '--', 'hostname'])
    expect([hostname.exitCode, hostname.stdout]).toEqual([0, 'lab2\n'])
    expect((await runCli(['lab', 'ssh', 'lab2', '--', 'exit 7'])).exitCode).toBe(7)
    const unknown = await runCli(['lab', 'ssh', 'lab9'])
    expect(unknown.exitCode).toBe(2)
    expect(unknown.stderr).toContain(
      'goldentooth: lab9 is not a node of the running lab\n  hint: nodes: lab1, lab2, lab3, lab4, lab5',
    )
  })
})
