/**
 * A fleet of real OpenSSH servers on loopback addresses for end-to-end tests: each "host" is a Debian
 * /usr/sbin/sshd with its own host keys and config in a temporary directory, listening on its own 127.0.0.x address
 * and port. The fleet writes an Ansible inventory, a known_hosts file and an ssh_config for them.
 */
import {execFile, spawn, type ChildProcess} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {createServer, type Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {stringify} from 'yaml'

const run = promisify(execFile)

export type HostKeyType = 'ed25519' | 'ecdsa' | 'rsa'

export interface FleetOptions {
  /** Host names; default `host1`, `host2`, … */
  names?: string[]
  /** Add an inventory host of this name on an address where nothing listens. */
  unreachable?: string
  /** Hosts whose known_hosts line holds some other key. */
  wrongKnownHost?: string[]
  /** Host keys signed by a fleet CA (`ssh-keygen -s`); known_hosts trusts the CA with `@cert-authority` only. */
  hostCa?: boolean
  /** Hash the known_hosts host names (`ssh-keygen -H`). */
  hashKnownHosts?: boolean
  /**
   * Serve SFTP with the external sftp-server logging every operation to `<host dir>/sftp.log` (internal-sftp can only
   * log to syslog or to the client).
   */
  sftpLog?: boolean
  /** Host key types each server has; default ed25519. known_hosts lists the first. */
  hostKeyTypes?: HostKeyType[]
}

export interface FleetHost {
  name: string
  address: string
  port: number
  pid: number
  /** Directory with this host's keys, config and certificate. */
  dir: string
}

export interface CertificateOptions {
  /** ssh-keygen -V; default `-5m:+1h`. */
  validity?: string
  /** Default: the host's address and name. */
  principals?: string[]
  /** Certify this host's key instead (a certificate for another key). */
  keyOf?: string
  /** Sign with this CA private key instead of the fleet's. */
  caKeyPath?: string
}

export interface Fleet {
  dir: string
  inventoryPath: string
  sshConfigPath: string
  knownHostsPath: string
  keyPath: string
  /** The fleet CA's private key (hostCa mode). */
  caKeyPath?: string
  hosts: FleetHost[]
  unreachable?: {name: string; address: string; port: number}
  /** The variables written to the inventory, per host (all.vars merged in). */
  hostVars: Record<string, Record<string, string | number>>
  host(name: string): FleetHost
  /** Stop one host (its listener and every session it serves), or every host. */
  stop(name?: string): Promise<void>
  start(name: string): Promise<void>
  /** Give the host new host keys (and a new certificate in hostCa mode); known_hosts is left as it was. */
  rotateHostKey(name: string): Promise<void>
  /** Replace the host's certificate and reload its sshd. */
  signHostCertificate(name: string, options?: CertificateOptions): Promise<void>
  /** The host's sshd log (its last 200 lines). */
  log(name: string): string[]
  /** SIGSTOP the host's sshd and its sessions: TCP still connects, nothing answers. */
  freeze(name: string): void
  /** SIGCONT what freeze() stopped. */
  thaw(name: string): void
  /** Stop everything and remove the directory. */
  stopAll(): Promise<void>
}

const SSHD = '/usr/sbin/sshd'
const FIRST_ADDRESS = 11
const LISTENING = /Server listening on (\S+) port (\d+)/

interface Server {
  host: FleetHost
  child?: ChildProcess
  log: string[]
}

const running = new Set<number>()
const directories = new Set<string>()
let exitHookInstalled = false

/** On exit, kill what is still running and remove the fleets' directories; on a harder death, PR_SET_PDEATHSIG. */
function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    for (const pid of running) killTree(pid, 'SIGKILL')
    for (const dir of directories) rmSync(dir, {recursive: true, force: true})
  })
}

export async function startSshFleet(count: number, options: FleetOptions = {}): Promise<Fleet> {
  installExitHook()
  const names = options.names ?? Array.from({length: count}, (_, i) => `host${i + 1}`)
  if (names.length !== count) throw new Error(`startSshFleet: ${count} hosts but ${names.length} names`)
  const keyTypes = options.hostKeyTypes ?? ['ed25519']
  const dir = await mkdtemp(join(tmpdir(), 'gt-fleet-'))
  directories.add(dir)
  mkdirSync('/run/sshd', {recursive: true})
  const keyPath = join(dir, 'id_ed25519')
  const knownHostsPath = join(dir, 'known_hosts')
  const sshConfigPath = join(dir, 'ssh_config')
  const inventoryPath = join(dir, 'inventory.yaml')
  const authorizedKeys = join(dir, 'authorized_keys')
  await keygen(keyPath, 'ed25519')
  await writeFile(authorizedKeys, await readFile(`${keyPath}.pub`))
  const caKeyPath = options.hostCa ? join(dir, 'host_ca') : undefined
  if (caKeyPath) await keygen(caKeyPath, 'ed25519')

  const servers = new Map<string, Server>()
  const hostDir = (name: string) => join(dir, 'hosts', name)

  const writeConfig = async (host: FleetHost) => {
    const lines = [
      `ListenAddress ${host.address}:${host.port}`,
      ...keyTypes.map((type) => `HostKey ${join(host.dir, `ssh_host_${type}_key`)}`),
      ...(caKeyPath
        ? keyTypes.map((type) => `HostCertificate ${join(host.dir, `ssh_host_${type}_key-cert.pub`)}`)
        : []),
      `PidFile ${join(host.dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorizedKeys}`,
      'StrictModes no',
      'UsePAM no',
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      options.sftpLog
        ? `Subsystem sftp /usr/lib/openssh/sftp-server -e -l VERBOSE 2>>${join(host.dir, 'sftp.log')}`
        : 'Subsystem sftp internal-sftp',
      'MaxStartups 200',
      'LogLevel INFO',
      `SetEnv GT_HOST=${host.name}`,
    ]
    await writeFile(join(host.dir, 'sshd_config'), `${lines.join('\n')}\n`)
  }

  const makeHostKeys = async (host: FleetHost) => {
    await rm(host.dir, {recursive: true, force: true})
    mkdirSync(host.dir, {recursive: true})
    for (const type of keyTypes) await keygen(join(host.dir, `ssh_host_${type}_key`), type)
  }

  const sign = async (name: string, certificate: CertificateOptions = {}) => {
    const host = fleet.host(name)
    const keyHost = fleet.host(certificate.keyOf ?? name)
    const ca = certificate.caKeyPath ?? caKeyPath
    if (!ca) throw new Error('signHostCertificate: the fleet has no CA (hostCa: true)')
    for (const type of keyTypes) {
      const scratch = join(host.dir, `sign-${type}`)
      mkdirSync(scratch, {recursive: true})
      const publicKey = join(scratch, 'key.pub')
      await writeFile(publicKey, await readFile(join(keyHost.dir, `ssh_host_${type}_key.pub`)))
      const principals = certificate.principals ?? [host.address, host.name]
      await run('ssh-keygen', [
        '-q',
        '-s',
        ca,
        '-I',
        `${host.name}-host`,
        '-h',
        '-n',
        principals.join(','),
        '-V',
        certificate.validity ?? '-5m:+1h',
        publicKey,
      ])
      await writeFile(join(host.dir, `ssh_host_${type}_key-cert.pub`), await readFile(join(scratch, 'key-cert.pub')))
      await rm(scratch, {recursive: true, force: true})
    }
  }

  const launch = async (server: Server) => {
    for (let attempt = 0; ; attempt++) {
      await writeConfig(server.host)
      const child = spawn(
        'setpriv',
        ['--pdeathsig', 'SIGTERM', '--', SSHD, '-D', '-e', '-f', join(server.host.dir, 'sshd_config')],
        {
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      )
      server.log = []
      const outcome = await new Promise<'listening' | 'in-use' | string>((resolve) => {
        let buffered = ''
        child.stderr?.on('data', (chunk: Buffer) => {
          buffered += chunk.toString('utf8')
          const lines = buffered.split('\n')
          buffered = lines.pop() ?? ''
          for (const line of lines) {
            server.log.push(line)
            if (server.log.length > 200) server.log.shift()
            if (LISTENING.test(line)) resolve('listening')
          }
        })
        child.on('exit', () => {
          const said = server.log.join('\n')
          resolve(/Address already in use/.test(said) ? 'in-use' : `sshd exited: ${said}`)
        })
      })
      if (outcome === 'listening') {
        ;(child.stderr as Socket).unref()
        child.unref()
        server.child = child
        server.host.pid = child.pid as number
        running.add(server.host.pid)
        child.on('exit', () => running.delete(child.pid as number))
        return
      }
      if (outcome !== 'in-use' || attempt >= 20) throw new Error(`${server.host.name}: ${outcome}`)
      server.host.port = await freePort(server.host.address)
    }
  }

  const stopServer = async (server: Server) => {
    const child = server.child
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.ref()
    killTree(child.pid as number, 'SIGTERM', 'SIGCONT')
    await exited
    delete server.child
  }

  const hosts: FleetHost[] = []
  for (const [i, name] of names.entries()) {
    const address = `127.0.0.${FIRST_ADDRESS + i}`
    const host: FleetHost = {name, address, port: await freePort(address), pid: 0, dir: hostDir(name)}
    hosts.push(host)
    servers.set(name, {host, log: []})
    await makeHostKeys(host)
  }
  const unreachable = options.unreachable
    ? (() => {
        const address = `127.0.0.${FIRST_ADDRESS + names.length}`
        return {name: options.unreachable, address, port: 0}
      })()
    : undefined
  if (unreachable) unreachable.port = await freePort(unreachable.address)

  const fleet: Fleet = {
    dir,
    inventoryPath,
    sshConfigPath,
    knownHostsPath,
    keyPath,
    ...(caKeyPath ? {caKeyPath} : {}),
    hosts,
    ...(unreachable ? {unreachable} : {}),
    hostVars: {},
    host(name) {
      const server = servers.get(name)
      if (!server) throw new Error(`no fleet host ${name}`)
      return server.host
    },
    async stop(name) {
      const targets = name ? [servers.get(name)] : [...servers.values()]
      await Promise.all(targets.map((server) => server && stopServer(server)))
    },
    async start(name) {
      const server = servers.get(name)
      if (!server) throw new Error(`no fleet host ${name}`)
      if (!server.child) await launch(server)
    },
    async rotateHostKey(name) {
      const server = servers.get(name)
      if (!server) throw new Error(`no fleet host ${name}`)
      await stopServer(server)
      await makeHostKeys(server.host)
      if (caKeyPath) await sign(name)
      await launch(server)
    },
    async signHostCertificate(name, certificate) {
      const server = servers.get(name)
      if (!server) throw new Error(`no fleet host ${name}`)
      await sign(name, certificate)
      await stopServer(server)
      await launch(server)
    },
    log(name) {
      return [...(servers.get(name)?.log ?? [])]
    },
    freeze(name) {
      killTree(fleet.host(name).pid, 'SIGSTOP')
    },
    thaw(name) {
      killTree(fleet.host(name).pid, 'SIGCONT')
    },
    async stopAll() {
      await fleet.stop()
      await rm(dir, {recursive: true, force: true})
      directories.delete(dir)
    },
  }

  try {
    if (caKeyPath) for (const name of names) await sign(name)
    await Promise.all([...servers.values()].map((server) => launch(server)))
    await writeKnownHosts(fleet, keyTypes[0] as HostKeyType, options)
    await writeClientFiles(fleet)
  } catch (err) {
    await fleet.stopAll()
    throw err
  }
  return fleet
}

async function writeKnownHosts(fleet: Fleet, type: HostKeyType, options: FleetOptions): Promise<void> {
  const lines: string[] = []
  if (fleet.caKeyPath) {
    const ca = (await readFile(`${fleet.caKeyPath}.pub`, 'utf8')).trim()
    lines.push(`@cert-authority [127.0.0.*]:* ${ca}`)
  } else {
    for (const host of fleet.hosts) {
      let keyFile = join(host.dir, `ssh_host_${type}_key.pub`)
      if (options.wrongKnownHost?.includes(host.name)) {
        keyFile = join(fleet.dir, `wrong-${host.name}`)
        await keygen(keyFile, type)
        keyFile += '.pub'
      }
      const [keyType, key] = (await readFile(keyFile, 'utf8')).trim().split(/\s+/)
      lines.push(`[${host.address}]:${host.port} ${keyType} ${key}`)
    }
  }
  await writeFile(fleet.knownHostsPath, `${lines.join('\n')}\n`)
  if (options.hashKnownHosts) {
    await run('ssh-keygen', ['-q', '-H', '-f', fleet.knownHostsPath])
    await rm(`${fleet.knownHostsPath}.old`, {force: true})
  }
}

async function writeClientFiles(fleet: Fleet): Promise<void> {
  const common = {
    ansible_user: 'root',
    ansible_ssh_private_key_file: fleet.keyPath,
    ansible_ssh_common_args: `-o UserKnownHostsFile=${fleet.knownHostsPath} -o GlobalKnownHostsFile=/dev/null`,
  }
  const hosts: Record<string, {ansible_host: string; ansible_port: number}> = {}
  for (const host of [...fleet.hosts, ...(fleet.unreachable ? [fleet.unreachable] : [])])
    hosts[host.name] = {ansible_host: host.address, ansible_port: host.port}
  for (const [name, vars] of Object.entries(hosts)) fleet.hostVars[name] = {...common, ...vars}
  await writeFile(fleet.inventoryPath, stringify({all: {vars: common, hosts}}))
  const config = Object.entries(hosts).map(([name, vars]) =>
    [
      `Host ${name}`,
      `  HostName ${vars.ansible_host}`,
      `  Port ${vars.ansible_port}`,
      '  User root',
      `  IdentityFile ${fleet.keyPath}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${fleet.knownHostsPath}`,
      '  GlobalKnownHostsFile /dev/null',
      '  BatchMode yes',
    ].join('\n'),
  )
  await writeFile(fleet.sshConfigPath, `${config.join('\n\n')}\n`)
}

async function keygen(path: string, type: HostKeyType): Promise<void> {
  await rm(path, {force: true})
  await rm(`${path}.pub`, {force: true})
  await run('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', '', '-f', path])
}

/** A port free on the address right now; sshd's own "Address already in use" covers a race with another fleet. */
function freePort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen({host: address, port: 20_000 + Math.floor(Math.random() * 30_000)}, () => {
      const {port} = server.address() as {port: number}
      server.close(() => resolve(port))
    })
  }).catch(() => freePort(address)) as Promise<number>
}

/** The process and all its descendants (sshd's session processes detach into their own sessions). */
function killTree(pid: number, ...signals: NodeJS.Signals[]): void {
  const tree = [pid, ...descendants(pid)]
  for (const signal of signals)
    for (const each of tree) {
      try {
        process.kill(each, signal)
      } catch {
        // already gone
      }
    }
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)])
    } catch {
      // exited while we looked
    }
  }
  const found: number[] = []
  const queue = [root]
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      found.push(child)
      queue.push(child)
    }
  }
  return found
}

/** `socat UNIX-LISTEN:PATH,fork TCP:ADDRESS:PORT`, as the lab's forwarders do; resolves once the socket exists. */
export async function startSocketForwarder(
  path: string,
  host: {address: string; port: number},
): Promise<{close(): Promise<void>}> {
  const child = spawn(
    'setpriv',
    ['--pdeathsig', 'SIGTERM', '--', 'socat', `UNIX-LISTEN:${path},fork`, `TCP:${host.address}:${host.port}`],
    {stdio: 'ignore'},
  )
  running.add(child.pid as number)
  installExitHook()
  for (let i = 0; i < 250 && !existsSync(path); i++) await new Promise((resolve) => setTimeout(resolve, 20))
  if (!existsSync(path)) throw new Error(`socat did not create ${path}`)
  return {
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      killTree(child.pid as number, 'SIGTERM')
      await exited
      running.delete(child.pid as number)
      await rm(path, {force: true})
    },
  }
}
