import {mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {ansibleBinary} from '../support/ansible.js'
import {renderWithAnsible, type Renderings} from '../support/ansible-templating.js'
import {runCli} from '../support/cli.js'

/**
 * An inventory written the way the original cluster's is (templated variables everywhere, hostvars across groups),
 * through the built CLI: every role renders and validates with every value resolved as Ansible resolves it.
 */
const ORIGINAL_STYLE = path.resolve('test/fixtures/templating/original-style')
const scratch = mkdtempSync(path.join(os.tmpdir(), 'gt-templated-'))
const gt = (inventory: string, args: string[]) =>
  runCli(['-i', inventory, ...args], {env: {GOLDENTOOTH_STATE_DIR: path.join(scratch, 'state')}})

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name)
    return statSync(file).isDirectory() ? filesUnder(file) : [file]
  })
}

/** What Ansible's debug module prints for these templates on every host of the inventory. */
async function ansibleSays(templates: string[]): Promise<Renderings> {
  const binary = ansibleBinary()
  if (!binary) throw new Error('ansible is not installed (apt-get install ansible)')
  return renderWithAnsible(binary, ORIGINAL_STYLE, templates)
}

function valueOf(renderings: Renderings, host: string, index: number): unknown {
  const rendered = renderings[host]![index]!
  if ('error' in rendered) throw new Error(`Ansible failed on ${host}: ${rendered.error}`)
  return rendered.value
}

describe('an inventory in the original cluster’s style', () => {
  const out = path.join(scratch, 'rendered')
  let files: string[]
  beforeAll(async () => {
    const render = await gt(ORIGINAL_STYLE, ['render', '--out', out])
    expect(render.stderr).not.toMatch(/^goldentooth: /m)
    expect(render.exitCode).toBe(0)
    files = filesUnder(out)
  })

  it('renders every role, and no rendered file holds template syntax', () => {
    const roles = readdirSync(out)
    for (const role of ['configure_cluster', 'consul', 'vault', 'nomad', 'slurm', 'nfs_mounts', 'zfs', 'seaweedfs'])
      expect(roles).toContain(role)
    const unresolved = files.filter((file) => /\{\{|\{%|\{#/.test(readFileSync(file, 'utf8')))
    expect(unresolved).toEqual([])
  })

  it('puts the values Ansible gives the same templates into the files', async () => {
    const templates = [
      '{{ ipv4_address }}',
      '{{ cluster.node_domain }}',
      '{{ slurm_nfs_base_path }}',
      "{{ hostvars[groups['nfs_server'] | first].ipv4_address }}",
    ]
    const ansible = await ansibleSays(templates)
    const read = (role: string, host: string, file: string) => readFileSync(path.join(out, role, host, file), 'utf8')
    const hosts = read('configure_cluster', 'avon', 'etc/hosts')
    for (const host of ['avon', 'dart', 'itchen']) {
      const [address, domain] = [valueOf(ansible, host, 0), valueOf(ansible, host, 1)]
      expect(hosts).toMatch(new RegExp(`^${address}\\s+${host}\\.${domain}\\s+${host}$`, 'm'))
    }
    const slurmConf = files.find((file) => file.endsWith('/etc/slurm/slurm.conf'))!
    const slurmHost = path.basename(path.dirname(path.dirname(path.dirname(slurmConf))))
    expect(readFileSync(slurmConf, 'utf8')).toContain(
      `StateSaveLocation=${valueOf(ansible, slurmHost, 2)}/var/spool/slurm/ctld`,
    )
    expect(read('nfs_mounts', 'avon', 'etc/systemd/system/mnt-nfs.mount')).toContain(
      `What=${valueOf(ansible, 'avon', 3)}:`,
    )
  })

  it('validates every role', async () => {
    const {exitCode, stdout} = await gt(ORIGINAL_STYLE, ['validate'])
    expect(exitCode).toBe(0)
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('valid')
  })

  it('inventory eval prints what Ansible prints, folded', async () => {
    const template = "{{ hostvars[groups['nfs_server'] | first].ipv4_address }}:{{ slurm_nfs_base_path }}"
    const ansible = await ansibleSays([template])
    const {exitCode, stdout} = await gt(ORIGINAL_STYLE, ['inventory', 'eval', 'all', template])
    expect(exitCode).toBe(0)
    const hosts = (await gt(ORIGINAL_STYLE, ['inventory', 'hosts', 'all'])).stdout.trimEnd().split('\n')
    expect([...hosts].sort()).toEqual(Object.keys(ansible).sort())
    expect(stdout).toBe(`${hosts.join(',')} (${hosts.length}) | ok\n${valueOf(ansible, 'avon', 0)}\n`)
    for (const host of hosts) expect(valueOf(ansible, host, 0)).toBe(valueOf(ansible, 'avon', 0))
    const json = JSON.parse((await gt(ORIGINAL_STYLE, ['inventory', 'eval', 'avon', '{{ cluster }}', '--json'])).stdout)
    const cluster = valueOf(await ansibleSays(['{{ cluster }}']), 'avon', 0)
    expect(json.results).toEqual([{host: 'avon', ok: true, value: cluster}])
  })

  it('inventory eval fails where Ansible fails, naming what is undefined (exit 3)', async () => {
    const {exitCode, stdout} = await gt(ORIGINAL_STYLE, ['inventory', 'eval', 'avon,cam', '{{ cluster.nope }}'])
    expect(exitCode).toBe(3)
    expect(stdout).toBe(
      `avon,cam (2) | FAILED: 'dict object' has no attribute 'nope' (at 1:11 of "{{ cluster.nope }}")\n`,
    )
  })

  it('inventory show --resolved templates every value; show alone prints them as written', async () => {
    const raw = await gt(ORIGINAL_STYLE, ['inventory', 'show', 'avon'])
    expect(raw.stdout).toContain('node_domain: nodes.{{ cluster_name }}.home.arpa')
    const resolved = await gt(ORIGINAL_STYLE, ['inventory', 'show', 'avon', '--resolved'])
    expect(resolved.exitCode).toBe(0)
    expect(resolved.stdout).toContain('node_domain: nodes.riverbend.home.arpa')
  })
})

describe('templates that cannot be rendered', () => {
  function inventory(name: string, groupVars: string, hostVars: Record<string, string> = {}): string {
    const dir = path.join(scratch, name)
    mkdirSync(path.join(dir, 'group_vars'), {recursive: true})
    mkdirSync(path.join(dir, 'host_vars'), {recursive: true})
    writeFileSync(path.join(dir, 'hosts.yaml'), 'all:\n  hosts:\n    alpha:\n    beta:\n')
    writeFileSync(path.join(dir, 'group_vars', 'all.yaml'), groupVars)
    for (const [host, text] of Object.entries(hostVars))
      writeFileSync(path.join(dir, 'host_vars', `${host}.yaml`), text)
    return dir
  }

  it('an undefined variable a role reads: exit 3 naming the host, the variables and where they are defined', async () => {
    const dir = inventory('undefined', 'cluster_name: "{{ cluster_label }}-{{ site }}"\ncluster_label: lab\n')
    const {exitCode, stderr} = await gt(dir, ['render', 'configure_cluster', '--out', path.join(scratch, 'out1')])
    expect(exitCode).toBe(3)
    expect(stderr).toMatch(
      /^goldentooth: .*group_vars\/all\.yaml:1:\d+: host alpha, variable 'cluster_name': 'site' is undefined/m,
    )
    expect(stderr).not.toMatch(/this is a bug|^\s+at /m)
  })

  it('a variable that refers to itself: exit 3 naming the loop', async () => {
    const dir = inventory('recursive', 'cluster_name: "{{ other }}"\nother: "x{{ cluster_name }}"\n')
    const {exitCode, stderr} = await gt(dir, ['inventory', 'eval', 'alpha', '{{ cluster_name }}'])
    expect(exitCode).toBe(3)
    expect(stderr + (await gt(dir, ['inventory', 'eval', 'alpha', '{{ cluster_name }}'])).stdout).toMatch(
      /recursive loop detected in template string: cluster_name → other → cluster_name/,
    )
  })

  it('template syntax Ansible would leave as written never reaches a file: exit 3 naming the variable', async () => {
    const dir = inventory('leftover', 'label: "{{ nowhere }}-x"\n', {
      alpha: 'cluster_name: "{{ hostvars[\'beta\'].label }}"\n',
    })
    const {exitCode, stderr} = await gt(dir, ['render', 'configure_cluster', '--out', path.join(scratch, 'out2')])
    expect(exitCode).toBe(3)
    expect(stderr).toMatch(
      /^goldentooth: .*group_vars\/all\.yaml:1:\d+: alpha: \/etc\/motd would contain "\{\{ nowhere \}\}", left untemplated from the variable label$/m,
    )
  })

  it('an !unsafe value is never templated, as in Ansible', async () => {
    const dir = inventory('unsafe', 'literal: !unsafe "{{ not_a_variable }}"\n')
    const {exitCode, stdout} = await gt(dir, ['inventory', 'eval', 'alpha', '{{ literal }}'])
    expect(exitCode).toBe(0)
    expect(stdout).toBe('alpha (1) | ok\n{{ not_a_variable }}\n')
  })
})
