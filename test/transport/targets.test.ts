import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'
import {tmpdir} from 'node:os'

import {afterAll, describe, expect, it} from 'vitest'
import {stringify} from 'yaml'

import {InvalidInputError} from '../../src/core/errors.js'
import {loadInventory} from '../../src/inventory/load.js'
import {ConnectError} from '../../src/transport/errors.js'
import {resolveTargets, sshCommandArgs} from '../../src/transport/targets.js'
import type {SshTarget} from '../../src/transport/types.js'

const dir = mkdtempSync(join(tmpdir(), 'gt-targets-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

const keyA = join(dir, 'key-a')
const keyB = join(dir, 'key-b')
writeFileSync(keyA, 'not read here\n')
writeFileSync(keyB, 'not read here\n')

const sshConfig = join(dir, 'ssh_config')
writeFileSync(
  sshConfig,
  `Host configured
  HostName 127.0.0.99
  Port 2200
  User bob
  IdentityFile ${keyB}
  IdentityFile ${join(dir, 'missing-key')}
  UserKnownHostsFile ${dir}/kh_%h ~/.ssh/kh_%k
  ConnectTimeout 7

Host aliased
  HostName 127.0.0.98
  HostKeyAlias Node-Alias
  Port 22

Host proxied
  HostName 127.0.0.97
  Port 2022
  User carol
  ProxyCommand socat - TCP:%h:%p,bind=%n # %r

Host jumped
  HostName 127.0.0.96
  ProxyJump u@jump1:2201,jump2

Host jump2
  HostName 127.0.0.95
  User dave

Host *
  GlobalKnownHostsFile /dev/null
`,
)

let inventories = 0
async function inventory(hosts: Record<string, Record<string, unknown>>) {
  const file = join(dir, `inventory-${++inventories}.yaml`)
  writeFileSync(file, stringify({all: {hosts}}))
  return {file, inventory: await loadInventory(file)}
}

async function resolveOne(vars: Record<string, unknown>, name = 'configured'): Promise<SshTarget> {
  const {inventory: inv} = await inventory({[name]: vars})
  const target = (await resolveTargets(inv, [name], {sshConfigFile: sshConfig})).get(name)
  if (!(target && !(target instanceof ConnectError))) throw new Error(`not resolved: ${String(target)}`)
  return target
}

describe('resolveTargets', () => {
  it('takes what the inventory does not say from ssh_config', async () => {
    expect(await resolveOne({})).toEqual({
      host: 'configured',
      address: '127.0.0.99',
      port: 2200,
      user: 'bob',
      identityFiles: [keyB],
      knownHostsName: '[127.0.0.99]:2200',
      knownHostsFiles: [join(dir, 'kh_127.0.0.99'), join(homedir(), '.ssh/kh_configured'), '/dev/null'],
      connectTimeoutMs: 7000,
      lab: false,
      become: false,
    })
  })

  it('lets inventory variables win over ssh_config, as Ansible does', async () => {
    const target = await resolveOne({ansible_port: 2222, ansible_user: 'root', ansible_ssh_private_key_file: keyA})
    expect(target).toMatchObject({address: '127.0.0.99', port: 2222, user: 'root', identityFiles: [keyA, keyB]})
  })

  it('lets ansible_port and ansible_user win over -o options in ssh args, which win over ssh_config', async () => {
    const args = '-o Port=3333 -o User=eve -o ConnectTimeout=3'
    expect(await resolveOne({ansible_ssh_common_args: args})).toMatchObject({
      port: 3333,
      user: 'eve',
      connectTimeoutMs: 3000,
    })
    expect(await resolveOne({ansible_ssh_common_args: args, ansible_port: 2222, ansible_user: 'root'})).toMatchObject({
      port: 2222,
      user: 'root',
    })
    expect((await resolveOne({ansible_ssh_extra_args: `-o "ProxyCommand=nc %h '%p'"`})).proxyCommand).toBe(
      "nc 127.0.0.99 '2200'",
    )
  })

  it('connects to ansible_host, which ssh_config may match too', async () => {
    expect(await resolveOne({ansible_host: 'aliased'}, 'inv-name')).toMatchObject({
      host: 'inv-name',
      address: '127.0.0.98',
      port: 22,
      knownHostsName: 'node-alias',
    })
    expect(await resolveOne({ansible_host: '127.0.0.7', ansible_port: 22}, 'plain')).toMatchObject({
      address: '127.0.0.7',
      knownHostsName: '127.0.0.7',
    })
  })

  it('expands ProxyCommand tokens and resolves ProxyJump chains hop by hop', async () => {
    expect((await resolveOne({}, 'proxied')).proxyCommand).toBe('socat - TCP:127.0.0.97:2022,bind=proxied # carol')
    const jumped = await resolveOne({}, 'jumped')
    expect(jumped.address).toBe('127.0.0.96')
    expect(jumped.jump).toMatchObject({host: 'jump2', address: '127.0.0.95', user: 'dave', port: 22})
    expect(jumped.jump?.jump).toMatchObject({host: 'jump1', address: 'jump1', user: 'u', port: 2201})
    expect(jumped.jump?.jump?.jump).toBeUndefined()
  })

  it('reads the socket, lab and become variables', async () => {
    const vars = {ansible_host: '10.77.0.3', goldentooth_ssh_socket: '/run/x/%h-%n.sock', goldentooth_lab: true}
    expect(await resolveOne(vars, 'node3')).toMatchObject({socket: '/run/x/10.77.0.3-node3.sock', lab: true})
    expect(await resolveOne({ansible_user: 'pi', ansible_become: true})).toMatchObject({become: true})
    expect(await resolveOne({ansible_user: 'pi', ansible_become: 'yes', ansible_become_method: 'sudo'})).toMatchObject({
      become: true,
    })
    expect(await resolveOne({ansible_user: 'root', ansible_become: true})).toMatchObject({become: false})
    expect(await resolveOne({ansible_user: 'pi'})).toMatchObject({become: false})
  })

  it('rejects unusable inventory values with file:line:col', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ansible_become: true, ansible_become_method: 'su'}, /ansible_become_method su is not supported/],
      [
        {ansible_ssh_common_args: "-o 'unclosed"},
        /ansible_ssh_common_args cannot be split into arguments: no closing quotation/,
      ],
    ]
    for (const [vars, message] of cases) {
      const {file, inventory: inv} = await inventory({bad: vars})
      const error = await resolveTargets(inv, ['bad'], {sshConfigFile: sshConfig}).catch((err: unknown) => err)
      expect(error).toBeInstanceOf(InvalidInputError)
      expect((error as Error).message).toMatch(message)
      expect((error as Error).message.startsWith(`${file}:`)).toBe(true)
    }
  })

  it('reports a host that ssh -G rejects as a per-host config error', async () => {
    const {inventory: inv} = await inventory({good: {}, bad: {ansible_ssh_common_args: '-o NoSuchOption=1'}})
    const targets = await resolveTargets(inv, ['good', 'bad'], {sshConfigFile: sshConfig})
    expect(targets.get('good')).not.toBeInstanceOf(ConnectError)
    const bad = targets.get('bad') as ConnectError
    expect(bad).toBeInstanceOf(ConnectError)
    expect(bad.kind).toBe('config')
    expect(bad.message).toMatch(/^ssh -G bad failed: .*bad configuration option: nosuchoption/i)
  })

  it('resolves many hosts, in host order', async () => {
    const hosts = Object.fromEntries(
      Array.from({length: 50}, (_, i) => [`n${i}`, {ansible_host: `127.0.1.${i}`, ansible_port: 2000 + i}]),
    )
    const {inventory: inv} = await inventory(hosts)
    const targets = await resolveTargets(inv, Object.keys(hosts), {sshConfigFile: sshConfig})
    expect([...targets.keys()]).toEqual(Object.keys(hosts))
    expect([...targets.values()].map((t) => (t as SshTarget).port)).toEqual(
      Object.values(hosts).map((h) => h.ansible_port),
    )
  })
})

describe('sshCommandArgs', () => {
  it('gives the system ssh the inventory values before the ssh args, and the destination last', async () => {
    const {inventory: inv} = await inventory({
      h: {ansible_host: '127.0.0.5', ansible_port: 2222, ansible_user: 'root', ansible_ssh_common_args: '-o A=b'},
    })
    expect(await sshCommandArgs(inv, 'h', {sshConfigFile: sshConfig})).toEqual([
      '-F',
      sshConfig,
      '-p',
      '2222',
      '-l',
      'root',
      '-o',
      'A=b',
      '--',
      '127.0.0.5',
    ])
  })

  it('reaches a socket host through socat', async () => {
    const {inventory: inv} = await inventory({n: {ansible_host: '10.77.0.3', goldentooth_ssh_socket: '/run/s/%h.sock'}})
    const args = await sshCommandArgs(inv, 'n', {})
    expect(args.slice(-4)).toEqual(['-o', 'ProxyCommand=socat - UNIX-CONNECT:/run/s/10.77.0.3.sock', '--', '10.77.0.3'])
  })
})
