import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {ConvergeReport} from '../../src/engine/results.js'

import {ensureLabUp, REPO, runCli, ssh} from '../support/lab.js'
import {labUnavailable} from '../support/lab-context.js'

const LAB = path.join(REPO, 'inventory/lab')
const NODES = ['lab1', 'lab2', 'lab3', 'lab4', 'lab5']
const LOCAL_MOUNT = String.raw`mnt-local\x2dexport`
/** The unit name in single quotes, for the remote shell. */
const LOCAL = (suffix: string) => `'${LOCAL_MOUNT}.${suffix}'`

const lab = (args: string[], inventory = LAB) => runCli(['-i', inventory, ...args])
const report = (stdout: string) => JSON.parse(stdout) as ConvergeReport

async function on(node: string, command: string): Promise<string> {
  const run = await ssh(node, command)
  expect(run.exitCode, `${node}: ${command}: ${run.stderr}`).toBe(0)
  return run.stdout.trim()
}

/** A copy of the lab inventory with extra YAML appended to hosts.yaml and extra group_vars files. */
function labCopy(scratch: string, name: string, hosts: string, groupVars: Record<string, string>): string {
  const copy = path.join(scratch, name)
  cpSync(LAB, copy, {recursive: true})
  writeFileSync(path.join(copy, 'hosts.yaml'), readFileSync(path.join(copy, 'hosts.yaml'), 'utf8') + hosts)
  for (const [file, text] of Object.entries(groupVars)) writeFileSync(path.join(copy, 'group_vars', file), text)
  return copy
}

const SEAWEEDFS_GROUPS = (masters: string[]) => `    seaweedfs:
      hosts:
        lab1:
        lab2:
        lab3:
        lab4:
      children:
        seaweedfs_master:
          hosts:
${masters.map((host) => `            ${host}:\n`).join('')}`

describe.skipIf(labUnavailable())('storage and GPU roles on the lab', () => {
  let scratch: string

  beforeAll(async () => {
    await ensureLabUp()
    scratch = mkdtempSync(path.join(os.tmpdir(), 'gt-storage-lab-'))
    expect((await lab(['configure_cluster'])).exitCode).toBe(0)
  })

  afterAll(async () => {
    for (const node of NODES) {
      await ssh(
        node,
        `systemctl stop ${LOCAL('mount')} 2>/dev/null; cd /etc/systemd/system && rm -f ${LOCAL('mount')} ${LOCAL('automount')}; ` +
          ` systemctl daemon-reload; rm -rf /srv/local-export`,
      )
    }
    await lab(['setup_nfs_mounts'])
    // nfs-common's rpc_pipefs mount cannot work in a container: leave no failed unit for the next suite.
    for (const node of NODES) await ssh(node, 'systemctl reset-failed')
    rmSync(scratch, {force: true, recursive: true})
  })

  it('setup_nfs_exports says the kernel NFS server cannot run in a lab node, and changes nothing', async () => {
    const run = await lab(['setup_nfs_exports'])
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toContain(
      'cannot serve NFS: lab4: the kernel NFS server cannot run inside a systemd-nspawn container (nfsd belongs to the host kernel); nothing was changed',
    )
    expect((await ssh('lab4', 'dpkg-query -W -f="${Status}" nfs-kernel-server')).stdout).not.toContain('installed')
    expect((await ssh('lab4', 'test -e /etc/exports.d/goldentooth.exports')).exitCode).not.toBe(0)
  })

  it('setup_nfs_mounts installs units systemd loads by their escaped names; a local bind "export" mounts through them', async () => {
    const inventory = labCopy(scratch, 'nfs', '', {
      'all_nodes.yaml': `nfs:
  mounts:
    primary:
      server: lab4
      share: /srv/nfs
      mount: /mnt/nfs
    local:
      type: none
      share: /srv/local-export
      mount: /mnt/local-export
      options: bind
`,
    })
    const first = await lab(['setup_nfs_mounts', '--json'], inventory)
    expect(first.exitCode, first.stderr).toBe(0)
    const lab2 = report(first.stdout).hosts.find((host) => host.host === 'lab2')!
    expect(lab2.warnings).toEqual([
      'the kernel has no nfs filesystem and cannot load modules (no /proc/modules): the nfs automounts are installed, but mounting will fail here',
      'systemd runs no automount units in a systemd-nspawn container (no /dev/autofs): the units are installed, not started',
    ])
    const again = await lab(['setup_nfs_mounts', '--json'], inventory)
    expect(report(again.stdout).summary).toMatchObject({changed: 0, failed: 0})

    const units = `./${LOCAL('mount')} ./${LOCAL('automount')} ./mnt-nfs.mount ./mnt-nfs.automount`
    const verify = await ssh('lab2', `cd /etc/systemd/system && systemd-analyze verify ${units} 2>&1`)
    expect(verify.stdout).toBe('')
    expect(verify.exitCode).toBe(0)
    expect(await on('lab2', `systemctl show -p Where --value ${LOCAL('mount')}`)).toBe('/mnt/local-export')
    await on('lab2', 'mkdir -p /srv/local-export && echo exported > /srv/local-export/hello')
    await on('lab2', `systemctl start ${LOCAL('mount')}`)
    expect(await on('lab2', 'cat /mnt/local-export/hello; findmnt -n -o TARGET /mnt/local-export')).toBe(
      'exported\n/mnt/local-export',
    )
    await on('lab2', `systemctl stop ${LOCAL('mount')}`)
    expect((await ssh('lab2', 'findmnt /mnt/local-export')).exitCode).not.toBe(0)
  })

  it('setup_zfs says the zfs module is missing before changing anything, and checks --force-wipe', async () => {
    const run = await lab(['setup_zfs'])
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toContain(
      'ZFS cannot be set up: lab4: the zfs kernel module is not loaded, and a systemd-nspawn container cannot load it; nothing was changed',
    )
    expect((await ssh('lab4', 'test -e /etc/modprobe.d/zfs.conf')).exitCode).not.toBe(0)
    const typo = await lab(['setup_zfs', '--force-wipe', '/dev/vdc'])
    expect(typo.exitCode).toBe(2)
    expect(typo.stderr).toContain('--force-wipe /dev/vdc names no pool device of these hosts (lab4: /dev/vdb)')
  })

  it('setup_seaweedfs stops naming the missing release binary, and refuses an even master count', async () => {
    const groupVars = {'seaweedfs.yaml': 'seaweedfs:\n  version: "3.66"\n  mount_path: /srv/seaweedfs\n'}
    const three = labCopy(scratch, 'seaweedfs3', SEAWEEDFS_GROUPS(['lab1', 'lab2', 'lab3']), groupVars)
    const empty = path.join(scratch, 'artifacts')
    const run = await lab(['setup_seaweedfs', '--artifacts', empty], three)
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toContain(
      'missing artifact: SeaweedFS 3.66 (amd64): linux_amd64.tar.gz (and linux_amd64.tar.gz.md5) could not be found or downloaded',
    )
    expect(run.stderr).toContain(`put both in ${empty}/seaweedfs-3.66/`)
    expect((await ssh('lab1', 'getent passwd seaweedfs')).exitCode).not.toBe(0)
    expect((await ssh('lab1', 'test -e /usr/local/bin/weed')).exitCode).not.toBe(0)

    const four = labCopy(scratch, 'seaweedfs4', SEAWEEDFS_GROUPS(['lab1', 'lab2', 'lab3', 'lab4']), groupVars)
    const even = await lab(['setup_seaweedfs'], four)
    expect(even.exitCode).toBe(3)
    expect(even.stderr).toContain(
      'SeaweedFS masters must be an odd number ("Only odd number of masters are supported"); it has 4',
    )
  })

  it('setup_gpu warns that lab5 is in the GPU groups without a GPU, and publishes nothing for it', async () => {
    const run = await lab(['setup_gpu', '--json'])
    expect(run.exitCode).toBe(0)
    const result = report(run.stdout)
    expect(result.hosts.find((host) => host.host === 'lab5')!.warnings).toEqual([
      'in k8s_worker_gpu, nomad_client_gpu, ray_worker_gpu but no NVIDIA GPU was found (nvidia-smi and lspci): GPU features stay off',
    ])
    for (const host of ['lab1', 'lab2', 'lab3', 'lab4']) {
      expect(result.hosts.find((h) => h.host === host)!.warnings).toEqual([])
    }
    expect(result.summary).toMatchObject({changed: 0, failed: 0})
    expect((await ssh('lab5', 'test -e /etc/goldentooth/gpu.json')).exitCode).not.toBe(0)
  })
})
