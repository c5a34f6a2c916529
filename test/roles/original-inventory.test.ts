import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {CommandResource} from '../../src/engine/resources.js'
import type {Vars} from '../../src/inventory/model.js'

import {SUITES} from '../../src/health/catalog.js'
import {planHealth} from '../../src/health/plan.js'
import {loadInventory} from '../../src/inventory/load.js'
import {consulSettings} from '../../src/roles/consul/settings.js'
import {nfsMounts} from '../../src/roles/shared/nfs/mounts.js'
import {nomadSettings} from '../../src/roles/nomad/settings.js'
import {stepCaSettings} from '../../src/roles/shared/pki/settings.js'
import {seaweedfsSettings} from '../../src/roles/seaweedfs/settings.js'
import {slurmSettings} from '../../src/roles/slurm/settings.js'
import {stepCa} from '../../src/roles/step_ca/roles.js'
import {vaultSettings} from '../../src/roles/vault/settings.js'
import {hostAddress, hostName} from '../../src/roles/vars.js'
import {runCli} from '../support/cli.js'
import {plan} from './shared/hashicorp/plan.js'

const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'original-shape')
const inventory = await loadInventory(FIXTURE)
const scratch = mkdtempSync(path.join(os.tmpdir(), 'gt-original-'))
afterAll(() => rmSync(scratch, {force: true, recursive: true}))

const read = (role: string, host: string, file: string) =>
  readFileSync(path.join(scratch, 'out', role, host, file), 'utf8')
const planOf = (role: string, host: string) => read(role, host, 'plan.txt').trimEnd().split('\n')

/** A host's variables with one top-level variable replaced, as another inventory would give them. */
const varsWith = (host: string, changes: Vars): Vars => ({...inventory.hostVars(host), ...changes})
const original = (host: string, name: string) => inventory.hostVars(host)[name] as Vars

describe('the original inventory’s variables, rendered through the CLI', () => {
  let stdout = ''
  beforeAll(async () => {
    const result = await runCli(['-i', FIXTURE, 'render', '--out', path.join(scratch, 'out')])
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    stdout = result.stdout
  })

  it('configure_cluster: clean_hostname, ipv4_address, cluster.node_domain and cluster.name; my.local.timezone', () => {
    expect(read('configure_cluster', 'ash', 'etc/hostname')).toBe('ash\n')
    expect(read('configure_cluster', 'ash', 'etc/hosts')).toContain('10.9.0.14\telm.nodes.orchard.net elm\n')
    expect(read('configure_cluster', 'ash', 'etc/timezone')).toBe('Europe/Berlin\n')
    expect(read('configure_cluster', 'ash', 'etc/motd')).toMatch(/ash\.nodes\.orchard\.net\n {2}orchard cluster node/)
  })

  it('nfs_mounts: share as <address>:<path>, safe_name, type and the options list (less intr and bg, with a warning)', () => {
    const unit = read('nfs_mounts', 'birch', 'etc/systemd/system/mnt-gpu\\x2dstorage.mount')
    expect(unit).toContain('What=10.9.0.14:/mnt/gpu-storage\nWhere=/mnt/gpu-storage\nType=nfs\n')
    const primary = read('nfs_mounts', 'birch', 'etc/systemd/system/mnt-nfs.mount')
    expect(primary).toContain('What=10.9.0.10:/mnt/usb1\n')
    expect(primary).toContain('Options=soft,timeo=30,retrans=2,nofail,_netdev\n')
    expect(stdout).toContain('warning: birch: nfs.mounts.primary.options: left out intr (ignored by the kernel')
    expect(planOf('nfs_mounts', 'elm')).not.toContain('file:/etc/systemd/system/mnt-gpu\\x2dstorage.mount')
  })

  it('nfs_exports: the exports(5) lines of each server’s nfs_exports', () => {
    expect(read('nfs_exports', 'elm', 'etc/exports.d/goldentooth.exports')).toContain(
      '/mnt/gpu-storage 10.9.0.0/24(rw,sync,no_root_squash,no_subtree_check)\n',
    )
  })

  it('zfs: arc_max in bytes, the pool and its device, the datasets', () => {
    expect(read('zfs', 'ash', 'etc/modprobe.d/zfs.conf')).toContain('options zfs zfs_arc_max=268435456\n')
    expect(planOf('zfs', 'ash')).toContain('command:zfs dataset tank/data')
    expect(read('zfs', 'ash', 'etc/systemd/system/syncoid@.service')).toContain('tank/data root@%i:tank/data')
  })

  it('slurm: cluster_name, nfs_base_path, shared_directories on the controller, local_directories everywhere', () => {
    const conf = read('slurm', 'birch', 'etc/slurm/slurm.conf')
    expect(conf).toContain('ClusterName=orchard\n')
    expect(conf).toContain('StateSaveLocation=/mnt/nfs/slurm/var/spool/slurm/ctld\n')
    expect(conf).toMatch(/^NodeName=elm NodeAddr=10\.9\.0\.14 /m)
    const directories = (host: string) => planOf('slurm', host).filter((id) => id.startsWith('directory:/'))
    expect(directories('birch')).toEqual([
      'directory:/etc/munge',
      'directory:/run/slurm',
      'directory:/var/spool/slurm',
      'directory:/var/spool/slurm/d',
      'directory:/mnt/nfs/slurm',
      'directory:/mnt/nfs/slurm/var/spool/slurm/ctld',
      'directory:/mnt/nfs/slurm/apps/modulefiles',
    ])
    expect(directories('ash')).toEqual([
      'directory:/etc/munge',
      'directory:/run/slurm',
      'directory:/var/spool/slurm',
      'directory:/var/spool/slurm/d',
    ])
  })

  it('consul: datacenter, certificate paths, executable_path; the original’s env file is removed', () => {
    const config = read('consul', 'birch', 'etc/consul.d/consul.hcl')
    expect(config).toContain('datacenter     = "orchard1"')
    expect(config).toContain('cert_file       = "/etc/consul.d/certs/agent.crt"')
    expect(config).toContain('ca_file         = "/etc/ssl/certs/orchard.pem"')
    expect(read('consul', 'birch', 'etc/systemd/system/consul.service')).toContain(
      'ExecStart=/usr/bin/consul agent -config-dir=/etc/consul.d/',
    )
    expect(planOf('consul', 'birch')).toContain('absent:/etc/consul.d/consul.env')
  })

  it('vault: cluster_name, aws.* for the KMS seal, consul.policy_name, certificate and config paths', () => {
    const config = read('vault', 'birch', 'etc/vault.d/vault.hcl')
    expect(config).toMatch(/cluster_name += "orchard-vault"/)
    expect(config).toMatch(/region += "eu-central-1"/)
    expect(config).toMatch(/kms_key_id = "alias\/orchard\/vault-seal"/)
    expect(config).toMatch(/tls_cert_file += "\/opt\/vault\/tls\/server\.crt"/)
    expect(read('vault', 'birch', 'etc/systemd/system/vault.service')).toContain(
      'EnvironmentFile=/etc/vault.d/vault.env',
    )
    expect(planOf('vault_consul_acl', 'birch')).toEqual([
      'command:consul acl policy vault',
      'command:consul acl token vault storage',
    ])
  })

  it('nomad: datacenter, paths, executable_path; node_class from the GPU groups', () => {
    const config = read('nomad', 'elm', 'etc/nomad.d/nomad.hcl')
    expect(config).toContain('datacenter = "orchard1"')
    expect(config).toContain('node_class = "gpu"')
    expect(read('nomad', 'elm', 'etc/systemd/system/nomad.service')).toContain(
      'ExecStart=/usr/bin/nomad agent -config /etc/nomad.d',
    )
  })

  it('step_ca and its clients: ca.user, ca.password_file_paths, root and shared certificate paths, steppath', () => {
    expect(planOf('step_ca', 'elm')).toContain('file:/etc/step-ca/.password_jwk.txt')
    expect(planOf('cluster_ca', 'ash')).toContain('file:/root/.step/jwk_provisioner_password.txt')
    expect(read('cert_canary', 'elm', 'etc/goldentooth/certificates/cert-canary.env')).toContain(
      'ROOT=/etc/ssl/certs/orchard.pem\n',
    )
  })

  it('ssh_certificates and cert_canary: principals and names from clean_hostname, cluster.domain and node_domain', () => {
    expect(read('ssh_certificates', 'ash', 'usr/local/sbin/goldentooth-ssh-cert')).toContain(
      "principals='ash ash.nodes.orchard.net ash.orchard.net 10.9.0.10'",
    )
    expect(read('cert_canary', 'elm', 'etc/goldentooth/certificates/cert-canary.env')).toContain(
      'COMMON_NAME=cert-canary.elm.nodes.orchard.net\n',
    )
  })

  it('seaweedfs: user, uid and gid, mount_path; masters are the first three seaweedfs hosts', () => {
    const master = read('seaweedfs', 'birch', 'etc/systemd/system/seaweedfs-master.service')
    expect(master).toContain('User=seaweedfs\n')
    expect(master).toContain('-mdir=/mnt/seaweedfs-nvme/master')
    expect(planOf('seaweedfs', 'birch')).toContain('user:seaweedfs')
  })

  it('gpu: the GPU groups of the original (k8s_worker_gpu, nomad_client_gpu)', () => {
    expect(stdout).toContain('warning: elm: in k8s_worker_gpu, nomad_client_gpu but no NVIDIA GPU was found')
  })
})

describe('the original’s variables where offline files do not show them', () => {
  it('step ca init: step_ca.ca.name, sans and bind_address', () => {
    const {resources} = plan(stepCa, inventory, 'elm')
    const init = resources.find((resource) => resource.kind === 'command' && resource.id === 'step ca init')
    const run = (init as CommandResource).run.replaceAll('\\', '')
    expect(run).toContain(' --name=Orchard ')
    expect(run).toContain(' --dns=elm,elm.orchard.net,elm.nodes.orchard.net,10.9.0.14 ')
    expect(run).toContain(' --address=10.9.0.14:9443 ')
    expect(run).toContain('runuser -u step ')
  })

  it('the health suites read them through the roles’ parsers', () => {
    const health = planHealth(inventory, [...inventory.hosts.keys()], SUITES)
    const scripts = (host: string) =>
      health.hosts
        .find((h) => h.context.host === host)!
        .probes.map((probe) => probe.script.replaceAll('\\', ''))
        .join('\n')
    expect(scripts('elm')).toContain('https://10.9.0.14:9443/health')
    expect(scripts('elm')).toContain('-in /etc/ssl/certs/orchard.pem')
    expect(scripts('ash')).toMatch(/mount %s %s %sn' gpu_storage/)
    expect(scripts('elm')).not.toContain('gpu_storage')
    expect(scripts('birch')).toContain('tank/data')
    expect(scripts('birch')).toContain('--cert /opt/vault/tls/server.crt')
  })

  it('goldentooth’s own spelling wins when both are given', () => {
    const both = (host: string, name: string, extra: Vars) =>
      varsWith(host, {[name]: {...original(host, name), ...extra}})
    expect(vaultSettings(inventory, both('birch', 'vault', {config_path: '/etc/vault.d/main.hcl'})).configPath).toBe(
      '/etc/vault.d/main.hcl',
    )
    expect(vaultSettings(inventory, varsWith('birch', {vault_aws_access_key_id: 'AKIAOWN'})).seal?.accessKeyId).toBe(
      'AKIAOWN',
    )
    const passwords = {password_paths: {jwk_provisioner: '/etc/step-ca/own.txt'}}
    const stepCaVars = both('elm', 'step_ca', {ca: {...(original('elm', 'step_ca').ca as Vars), ...passwords}})
    expect(stepCaSettings(inventory, stepCaVars).passwordPaths.jwkProvisioner).toBe('/etc/step-ca/own.txt')
    expect(slurmSettings(both('birch', 'slurm', {shared_dirs: ['bin']})).sharedDirs).toEqual(['/mnt/nfs/slurm/bin'])
    expect(hostName('ash', varsWith('ash', {clean_hostname: 'ash-1'}))).toBe('ash-1')
  })
})

describe('wrong values are refused with the reason, naming the variable', () => {
  it('through the CLI (exit 3): an ARC limit in the wrong unit, a safe_name that is not the unit systemd needs', async () => {
    const dir = path.join(scratch, 'wrong')
    cpSync(FIXTURE, dir, {recursive: true})
    const vars = path.join(dir, 'group_vars', 'all', 'vars.yaml')
    const text = readFileSync(vars, 'utf8')
    writeFileSync(vars, text.replace('arc_max: 268435456', 'arc_max: 256'))
    const zfs = await runCli(['-i', dir, 'render', 'setup_zfs', '--out', path.join(scratch, 'wrong-out')])
    expect(zfs.exitCode).toBe(3)
    expect(zfs.stderr).toMatch(
      /zfs\.arc_max is in bytes .* not 256 \((ash|birch)\)\n {2}hint: for 256 MB write zfs\.arc_max_mb: 256/,
    )
    writeFileSync(vars, text.replace("safe_name: 'mnt-nfs'", "safe_name: 'mnt-nfs-primary'"))
    const nfs = await runCli(['-i', dir, 'render', 'setup_nfs_mounts', '--out', path.join(scratch, 'wrong-out')])
    expect(nfs.exitCode).toBe(3)
    expect(nfs.stderr).toContain(
      'nfs.mounts: primary.safe_name must be mnt-nfs, not mnt-nfs-primary: systemd names a mount unit after its mount point',
    )
  })

  it('by every role’s parser', () => {
    const refused = (read: () => unknown) => {
      try {
        read()
      } catch (error) {
        return (error as Error).message
      }
      throw new Error('accepted')
    }
    const inDict = (host: string, name: string, extra: Vars) =>
      varsWith(host, {[name]: {...original(host, name), ...extra}})
    expect(refused(() => hostAddress(varsWith('ash', {ipv4_address: '10.9.0'})))).toBe(
      "ipv4_address must be an IPv4 address, not '10.9.0' (ash)",
    )
    expect(refused(() => hostName('ash', varsWith('ash', {clean_hostname: 'ash.orchard.net'})))).toMatch(
      /^clean_hostname must be one DNS label/,
    )
    const mounts = (entry: Vars) => nfsMounts(inventory, varsWith('ash', {nfs: {mounts: {primary: entry}}}))
    expect(refused(() => mounts({mount: '/mnt/nfs', options: 'soft', server: 'oak', share: '/mnt/usb1'}))).toMatch(
      /vars\.yaml:\d+:1: nfs\.mounts: primary needs server \(the inventory host serving it\), or share as <address>:<path>$/,
    )
    expect(refused(() => mounts({mount: '/mnt/nfs', options: [30], share: '10.9.0.10:/mnt/usb1'}))).toMatch(
      /: nfs\.mounts: primary\.options must be a string or a list$/,
    )
    expect(refused(() => slurmSettings(inDict('birch', 'slurm', {shared_directories: ['apps']})))).toBe(
      "slurm.shared_directories[0] must be an absolute path, not 'apps' (birch)",
    )
    expect(refused(() => consulSettings(inventory, inDict('birch', 'consul', {maybe_leader: 'cedar'})))).toBe(
      'consul.maybe_leader must be birch, not "cedar": goldentooth uses the first consul_server host (birch)',
    )
    expect(
      refused(() => consulSettings(inventory, inDict('birch', 'consul', {hcl_config_path: '/etc/consul.hcl'}))),
    ).toMatch(/^consul\.hcl_config_path must be a \.hcl file in consul\.etc_path \(\/etc\/consul\.d\)/)
    expect(refused(() => consulSettings(inventory, inDict('birch', 'consul', {role: 'client'})))).toMatch(
      /^consul\.role must be server, not "client"/,
    )
    expect(refused(() => nomadSettings(inventory, inDict('ash', 'nomad', {service_user: 'nomad'})))).toBe(
      'nomad.service_user must be root, not "nomad": Nomad servers run as nomad, clients as root (ash)',
    )
    expect(
      refused(() => vaultSettings(inventory, inDict('birch', 'vault', {consul: {policy_name: 'vault storage'}}))),
    ).toMatch(/^vault\.consul\.policy_name must be a Consul policy name/)
    const ca = (extra: Vars) => inDict('elm', 'step_ca', {ca: {...(original('elm', 'step_ca').ca as Vars), ...extra}})
    expect(refused(() => stepCaSettings(inventory, ca({bind_address: '10.9.0.14'})))).toBe(
      'step_ca.ca.bind_address must be <address>:<port>, such as :9443 (elm)',
    )
    expect(refused(() => stepCaSettings(inventory, ca({ca_config_file_path: '/etc/step/ca.json'})))).toMatch(
      /^step_ca\.ca\.ca_config_file_path must be \/etc\/step-ca\/config\/ca\.json, not "\/etc\/step\/ca\.json": step-ca keeps it under STEPPATH/,
    )
    expect(refused(() => seaweedfsSettings(inDict('birch', 'seaweedfs', {uid: 'seaweedfs'})))).toBe(
      'seaweedfs.uid must be a number, not a string (birch)',
    )
  })
})
