import {execFile, spawn, type ChildProcess} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {ConnectError} from '../../src/transport/errors.js'
import {connect, type ConnectOptions} from '../../src/transport/ssh.js'
import {startSocketForwarder, startSshFleet, type Fleet} from '../support/sshd.js'
import {fleetTarget} from '../support/targets.js'

const run = promisify(execFile)
const OPTIONS: ConnectOptions = {connectTimeoutMs: 10_000, insecureAcceptHostKeys: false}

let fleet: Fleet
beforeAll(async () => {
  fleet = await startSshFleet(3, {unreachable: 'ghost'})
})
afterAll(() => fleet?.stopAll())

/** Connect, ask the host its name, close; or the ConnectError. */
async function reach(name: string, vars: Record<string, unknown> = {}, options = OPTIONS) {
  const target = await fleetTarget(fleet, name, vars)
  try {
    const connection = await connect(target, options)
    const {stdout} = await connection.exec('echo $GT_HOST')
    await connection.close()
    return stdout.trim()
  } catch (err) {
    if (err instanceof ConnectError) return err
    throw err
  }
}

const commonArgs = (name: string, extra: string) => ({
  ansible_ssh_common_args: `${fleet.hostVars[name]?.ansible_ssh_common_args} ${extra}`,
})

describe('UNIX socket', () => {
  it('reaches sshd through a socket forwarded by socat', async () => {
    const path = join(fleet.dir, 'host1.sock')
    const forwarder = await startSocketForwarder(path, fleet.host('host1'))
    try {
      expect(await reach('host1', {goldentooth_ssh_socket: join(fleet.dir, '%n.sock')})).toBe('host1')
    } finally {
      await forwarder.close()
    }
  })

  it('says the lab is down when a lab node has no socket', async () => {
    const vars = {goldentooth_ssh_socket: join(fleet.dir, 'absent-%h.sock'), goldentooth_lab: true}
    expect(await reach('host1', vars)).toMatchObject({
      kind: 'lab-down',
      message: 'the lab is not running: goldentooth lab up',
    })
  })

  it('names the missing socket for other hosts', async () => {
    expect(await reach('host1', {goldentooth_ssh_socket: join(fleet.dir, 'absent-%h.sock')})).toMatchObject({
      kind: 'socket-missing',
      message: `socket ${join(fleet.dir, 'absent-127.0.0.11.sock')} for 127.0.0.11 does not exist`,
    })
  })
})

describe('ProxyCommand', () => {
  it('talks SSH over the proxy command, and kills it on close', async () => {
    const pidFile = join(fleet.dir, 'proxy.pid')
    const proxy = `-o "ProxyCommand=sh -c 'echo \\$\\$ > ${pidFile}; exec socat - TCP:%h:%p'"`
    expect(await reach('host2', commonArgs('host2', proxy))).toBe('host2')
    const pid = Number(readFileSync(pidFile, 'utf8'))
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(existsSync(`/proc/${pid}`)).toBe(false)
  })

  it('explains a proxy command that fails', async () => {
    const proxy = `-o "ProxyCommand=sh -c 'echo no route to %h >&2; exit 7'"`
    expect(await reach('host2', commonArgs('host2', proxy))).toMatchObject({
      kind: 'closed',
      message: `127.0.0.12:${fleet.host('host2').port} through ProxyCommand closed the connection during the SSH handshake (ProxyCommand exited with status 7: no route to 127.0.0.12)`,
    })
  })
})

describe('ProxyJump', () => {
  it('tunnels through one jump host, or a chain of them', async () => {
    expect(await reach('host2', commonArgs('host2', '-o ProxyJump=host1'))).toBe('host2')
    expect(await reach('host2', commonArgs('host2', '-J host3,host1'))).toBe('host2')
  })

  it('fails through the jump host when the jump host is down', async () => {
    await fleet.stop('host1')
    try {
      expect(await reach('host2', commonArgs('host2', '-o ProxyJump=host1'))).toMatchObject({
        kind: 'refused',
        message: `jump host host1: connection refused by 127.0.0.11:${fleet.host('host1').port}`,
      })
    } finally {
      await fleet.start('host1')
    }
  })

  it('reports a target the jump host cannot reach', async () => {
    const ghost = fleet.unreachable as {address: string; port: number}
    expect(await reach('ghost', commonArgs('ghost', '-o ProxyJump=host1'))).toMatchObject({
      kind: 'refused',
      message: expect.stringMatching(
        new RegExp(`^cannot reach ${ghost.address}:${ghost.port} via host1: .*refused`, 'i'),
      ),
    })
  })
})

describe('failures', () => {
  it('reports a refused port', async () => {
    const ghost = fleet.unreachable as {address: string; port: number}
    expect(await reach('ghost')).toMatchObject({
      kind: 'refused',
      message: `connection refused by ${ghost.address}:${ghost.port}`,
    })
  })

  it('times out connecting to an address that drops the SYN, after ssh_config ConnectTimeout', async () => {
    // A listener that never accepts, with its accept queue full: Linux drops further SYNs, as a firewall would.
    const listener: ChildProcess = spawn('python3', [
      '-c',
      "import socket,sys,time\ns=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(0)\nprint(s.getsockname()[1], flush=True); time.sleep(60)",
    ])
    try {
      const port = Number(
        await new Promise<string>((resolve) =>
          listener.stdout?.once('data', (data: Buffer) => resolve(data.toString())),
        ),
      )
      const fillers = await Promise.all(
        [0, 1, 2].map(() => run('timeout', ['2', 'bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`]).catch(() => {})),
      )
      expect(fillers).toHaveLength(3)
      const started = performance.now()
      const error = await reach('host1', {
        ansible_host: '127.0.0.1',
        ansible_port: port,
        ...commonArgs('host1', '-o ConnectTimeout=1'),
      })
      const elapsed = performance.now() - started
      expect(error).toMatchObject({kind: 'timeout', message: `timed out after 1 s connecting to 127.0.0.1:${port}`})
      expect(elapsed).toBeGreaterThan(900)
    } finally {
      listener.kill()
    }
  })

  it('times out when the server accepts but never speaks SSH', async () => {
    fleet.freeze('host3')
    try {
      const error = await reach('host3', {}, {...OPTIONS, connectTimeoutMs: 1000})
      expect(error).toMatchObject({
        kind: 'timeout',
        message: `timed out after 1 s waiting for the SSH handshake with 127.0.0.13:${fleet.host('host3').port}`,
      })
    } finally {
      fleet.thaw('host3')
    }
  })

  it('says which keys it tried when authentication fails', async () => {
    const stranger = join(fleet.dir, 'stranger')
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger])
    const error = await reach('host1', {ansible_ssh_private_key_file: stranger})
    expect(error).toMatchObject({
      kind: 'auth',
      message: `authentication failed for root@127.0.0.11:${fleet.host('host1').port}: tried ${stranger}`,
    })
  })

  it('skips an encrypted key with a warning and goes on with the next', async () => {
    const locked = join(fleet.dir, 'locked')
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret phrase', '-f', locked])
    const warnings: string[] = []
    const vars = {ansible_ssh_private_key_file: locked, ...commonArgs('host1', `-o IdentityFile=${fleet.keyPath}`)}
    expect(await reach('host1', vars, {...OPTIONS, onWarning: (message) => warnings.push(message)})).toBe('host1')
    expect(warnings).toEqual([`skipping ${locked}: it is encrypted; load it into ssh-agent (ssh-add ${locked})`])
  })
})

describe('ssh-agent', () => {
  let agent: ChildProcess
  const socket = () => join(fleet.dir, 'agent.sock')
  const saved = process.env.SSH_AUTH_SOCK

  beforeAll(async () => {
    agent = spawn('ssh-agent', ['-D', '-a', socket()], {stdio: 'ignore'})
    for (let i = 0; i < 100 && !existsSync(socket()); i++) await new Promise((resolve) => setTimeout(resolve, 20))
    await run('ssh-add', ['-q', fleet.keyPath], {env: {...process.env, SSH_AUTH_SOCK: socket()}})
    process.env.SSH_AUTH_SOCK = socket()
  })
  afterAll(() => {
    if (saved === undefined) delete process.env.SSH_AUTH_SOCK
    else process.env.SSH_AUTH_SOCK = saved
    agent?.kill()
  })

  it('authenticates with a key held by the agent', async () => {
    const vars = {ansible_ssh_private_key_file: join(fleet.dir, 'no-such-key')}
    expect((await fleetTarget(fleet, 'host1', vars)).identityFiles).toEqual([])
    expect(await reach('host1', vars)).toBe('host1')
  })

  it('lists the agent among what it tried', async () => {
    const stranger = join(fleet.dir, 'stranger2')
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger])
    await run('ssh-add', ['-D', '-q'], {env: {...process.env, SSH_AUTH_SOCK: socket()}})
    expect(await reach('host1', {ansible_ssh_private_key_file: stranger})).toMatchObject({
      kind: 'auth',
      message: expect.stringMatching(new RegExp(`tried agent, ${stranger}$`)),
    })
  })
})
