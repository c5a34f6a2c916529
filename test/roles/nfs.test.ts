import {describe, expect, it} from 'vitest'

import {assumedFacts} from '../../src/engine/facts.js'
import {renderRole} from '../../src/engine/render.js'
import {loadInventory} from '../../src/inventory/load.js'
import {nfsExports} from '../../src/roles/shared/nfs/exports.js'
import {kernelLacks} from '../../src/roles/shared/nfs/kernel.js'
import {nfsMounts} from '../../src/roles/shared/nfs/mounts.js'
import {nfsExportsRole as exportsRole} from '../../src/roles/nfs_exports/role.js'
import {nfsMountsRole as mountsRole} from '../../src/roles/nfs_mounts/role.js'
import {expectGoldens} from './golden.js'

const inventory = await loadInventory('inventory')
const options = {operator: {publicKeys: []}, stateDir: '/nonexistent'}

describe('setup_nfs_mounts', () => {
  it('renders units named by systemd’s escaping rules, each mount from its own server', async () => {
    const rendered = renderRole(mountsRole, inventory, ['bettley', 'karstark', 'manderly', 'velaryon'], options)
    await expectGoldens('nfs_mounts', rendered)
    const paths = rendered[0]!.files.map((file) => file.path)
    expect(paths).toEqual([
      '/etc/systemd/system/mnt-nfs.mount',
      '/etc/systemd/system/mnt-nfs.automount',
      String.raw`/etc/systemd/system/mnt-gpu\x2dstorage.mount`,
      String.raw`/etc/systemd/system/mnt-gpu\x2dstorage.automount`,
    ])
    const what = rendered[0]!.files
      .filter((f) => f.path.endsWith('.mount'))
      .map((f) => /^What=(.*)$/m.exec(f.content.toString())![1])
    expect(what).toEqual(['10.4.0.10:/mnt/usb1', '10.4.0.30:/mnt/gpu-storage'])
    expect(rendered[0]!.files[1]!.content.toString()).toMatch(/^TimeoutIdleSec=300$/m)
    expect(rendered[0]!.files[0]!.content.toString()).toMatch(/^Options=soft,timeo=30,retrans=2,_netdev,nofail$/m)
  })

  it('does not mount velaryon’s own share over the directory it exports', async () => {
    const [velaryon] = renderRole(mountsRole, inventory, ['velaryon'], options)
    expect(velaryon!.plan).toEqual([
      'package:nfs-common',
      'file:/etc/systemd/system/mnt-nfs.mount',
      'file:/etc/systemd/system/mnt-nfs.automount',
      'service:mnt-nfs.automount',
    ])
  })

  it('refuses a mount naming no server, pointing at where nfs is defined', () => {
    const vars = {...inventory.hostVars('bettley'), nfs: {mounts: {broken: {mount: '/mnt/x', share: '/x'}}}}
    expect(() => nfsMounts(inventory, vars)).toThrow(/nfs\.mounts: broken needs server/)
  })
})

describe('setup_nfs_exports', () => {
  it('renders each server’s own exports, from original lines or structured entries', async () => {
    const rendered = renderRole(exportsRole, inventory, ['allyrion', 'velaryon'], options)
    await expectGoldens('nfs_exports', rendered)
    expect(nfsExports(inventory.hostVars('velaryon'))).toEqual([
      {line: '/mnt/gpu-storage 10.4.0.0/20(rw,sync,no_root_squash,no_subtree_check)', path: '/mnt/gpu-storage'},
    ])
    expect(rendered[0]!.plan).toContain('directory:/mnt/usb1')
  })

  it('knows which kernels cannot serve or mount NFS, from /proc/filesystems and /proc/modules', () => {
    const probed = {...assumedFacts('lab4', {}), assumed: false, virtualization: 'systemd-nspawn'}
    const files = (table: Record<string, string>) => (path: string) =>
      table[path] === undefined ? undefined : Buffer.from(table[path]!)
    const noModules = files({'/proc/filesystems': 'nodev\tsysfs\n\text4\n'})
    expect(kernelLacks(probed, noModules, 'nfsd')).toMatch(/cannot run inside a systemd-nspawn container/)
    expect(kernelLacks(probed, noModules, 'nfs')).toBe(
      'the kernel has no nfs filesystem and cannot load modules (no /proc/modules)',
    )
    const pi = {...probed, virtualization: 'none'}
    expect(
      kernelLacks(pi, files({'/proc/filesystems': '\text4\n', '/proc/modules': 'zram 32768 4 - Live\n'}), 'nfsd'),
    ).toBe(undefined)
    expect(kernelLacks(pi, files({'/proc/filesystems': 'nodev\tnfsd\n'}), 'nfsd')).toBe(undefined)
    expect(kernelLacks(assumedFacts('x', {}), noModules, 'nfsd')).toBe(undefined)
  })
})
