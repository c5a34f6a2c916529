import {describe, expect, it} from 'vitest'

import type {Disk, Facts} from '../../src/engine/facts.js'
import type {PrepareContext} from '../../src/engine/role.js'

import {assumedFacts} from '../../src/engine/facts.js'
import {renderRole} from '../../src/engine/render.js'
import {loadInventory} from '../../src/inventory/load.js'
import {poolDecision} from '../../src/roles/zfs/device.js'
import {zfsRole as role} from '../../src/roles/zfs/role.js'
import {zfsSettings} from '../../src/roles/zfs/settings.js'
import {expectGoldens} from './golden.js'

const inventory = await loadInventory('inventory')
const options = {operator: {publicKeys: []}, stateDir: '/nonexistent'}
const settings = zfsSettings(inventory.hostVars('allyrion'))
const disk = (name: string, change: Partial<Disk> = {}): Disk => ({
  children: [],
  fstype: null,
  model: null,
  mountpoint: null,
  name,
  pttype: null,
  sizeBytes: 120e9,
  type: 'disk',
  ...change,
})
const probed = (disks: Disk[]): Facts => ({...assumedFacts('allyrion', {}), assumed: false, disks})
const nothingFetched = () => undefined

describe('setup_zfs renders', () => {
  it('for the three zfs hosts: the primary snapshots and replicates, the others receive', async () => {
    const rendered = renderRole(role, inventory, ['allyrion', 'erenford', 'gardener'], options)
    await expectGoldens('zfs', rendered)
    const [primary, replica] = rendered
    expect(primary!.plan).toContain('service:syncoid@erenford.timer')
    expect(primary!.plan).toContain('command:zfs dataset rpool/data')
    expect(replica!.plan.filter((id) => id.includes('syncoid@') && id.startsWith('service'))).toEqual([])
    expect(replica!.plan).not.toContain('command:zfs dataset rpool/data')
    const sanoid = primary!.files.find((f) => f.path === '/etc/sanoid/sanoid.conf')!.content.toString()
    expect(sanoid).toMatch(/hourly = 36\n\tdaily = 30\n\tmonthly = 3/)
  })

  it('limits the ARC to 128 MB as 134217728 bytes', async () => {
    expect(settings.arcMaxBytes).toBe(134_217_728)
    const [allyrion] = renderRole(role, inventory, ['allyrion'], options)
    const modprobe = allyrion!.files.find((f) => f.path === '/etc/modprobe.d/zfs.conf')!.content.toString()
    expect(modprobe).toContain('options zfs zfs_arc_max=134217728\n')
    expect(allyrion!.plan).toContain('command:zfs_arc_max 134217728')
  })

  it('takes the original’s zfs.arc_max in bytes; zfs.arc_max_mb wins when both are given', () => {
    const arc = (zfs: Record<string, unknown>) => zfsSettings({inventory_hostname: 'a', zfs}).arcMaxBytes
    expect(arc({arc_max: 134_217_728})).toBe(134_217_728)
    expect(arc({arc_max: 268_435_456, arc_max_mb: 128})).toBe(134_217_728)
  })

  it('refuses an ARC limit below what ZFS accepts, naming the variable', () => {
    expect(() => zfsSettings({inventory_hostname: 'a', zfs: {arc_max_mb: 32}})).toThrow(
      'zfs.arc_max_mb must be a whole number of MB, at least 64 (ZFS ignores less), not 32 (a)',
    )
    expect(() => zfsSettings({inventory_hostname: 'a', zfs: {arc_max: 128}})).toThrow(
      /^zfs\.arc_max is in bytes and must be a whole number of at least 67108864 .* not 128 \(a\)$/,
    )
    expect(() => zfsSettings({inventory_hostname: 'a', zfs: {arc_max: '128M'}})).toThrow(
      'zfs.arc_max must be a number, not a string (a)',
    )
  })
})

describe('pool creation', () => {
  it('creates the pool only on a blank device', () => {
    expect(poolDecision(probed([disk('sda')]), nothingFetched, settings)).toEqual({action: 'create'})
  })

  it('leaves an imported pool alone', () => {
    const imported = (path: string) =>
      path === '/proc/spl/kstat/zfs/rpool/state' ? Buffer.from('ONLINE\n') : undefined
    expect(poolDecision(probed([]), imported, settings)).toEqual({action: 'keep'})
  })

  it('refuses a device with a partition table or a filesystem, naming what it found', () => {
    const used = disk('sda', {children: [disk('sda1', {fstype: 'ext4', type: 'part'})], pttype: 'gpt'})
    expect(poolDecision(probed([used]), nothingFetched, settings)).toEqual({
      action: 'refuse',
      reason:
        'pool rpool is absent and /dev/sda is not blank: it carries a gpt partition table, partitions sda1 (ext4)',
    })
    expect(poolDecision(probed([disk('sda', {fstype: 'zfs_member'})]), nothingFetched, settings)).toMatchObject({
      reason: expect.stringContaining('a zfs_member signature'),
    })
    expect(poolDecision(probed([disk('sdb')]), nothingFetched, settings)).toEqual({
      action: 'refuse',
      reason: '/dev/sda does not exist (disks: sdb)',
    })
  })

  it('wipes only when --force-wipe names the device exactly', () => {
    const used = probed([disk('sda', {fstype: 'ext4'})])
    expect(poolDecision(used, nothingFetched, settings, '/dev/sda')).toEqual({
      action: 'wipe',
      found: 'a ext4 signature',
    })
    expect(poolDecision(used, nothingFetched, settings, 'sda').action).toBe('refuse')
    expect(poolDecision(used, nothingFetched, settings, '/dev/sda/').action).toBe('refuse')
  })

  it('rejects a --force-wipe that names no pool device, before probing results are used', async () => {
    const context = {
      fetched: () => undefined,
      factsOf: () => probed([disk('sda')]),
      hosts: ['allyrion'],
      inventory,
      options: {'force-wipe': '/dev/sdb'},
    } as unknown as PrepareContext
    await expect(role.prepare!(context)).rejects.toThrow(
      '--force-wipe /dev/sdb names no pool device of these hosts (allyrion: /dev/sda)',
    )
  })

  it('stops before changing anything where the zfs module cannot load, saying so', async () => {
    const context = {
      fetched: () => undefined,
      factsOf: () => ({...probed([disk('sda')]), virtualization: 'systemd-nspawn'}),
      hosts: ['allyrion'],
      inventory,
      options: {},
    } as unknown as PrepareContext
    await expect(role.prepare!(context)).rejects.toThrow(
      'ZFS cannot be set up: allyrion: the zfs kernel module is not loaded, and a systemd-nspawn container cannot load it; nothing was changed',
    )
  })
})
