import {execa} from 'execa'
import {createHash} from 'node:crypto'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import type {Inventory} from '../../src/inventory/model.js'

import {renderRole} from '../../src/engine/render.js'
import {loadInventory} from '../../src/inventory/load.js'
import {resolveWeed} from '../../src/roles/seaweedfs/binary.js'
import {seaweedfsRole as role} from '../../src/roles/seaweedfs/role.js'
import {masterFindings, mastersOf} from '../../src/roles/seaweedfs/masters.js'
import {validateRoles} from '../../src/services/validate-roles.js'
import {expectGoldens} from './golden.js'

const inventory = await loadInventory('inventory')
const scratch = mkdtempSync(path.join(os.tmpdir(), 'gt-seaweedfs-'))
afterAll(() => rmSync(scratch, {force: true, recursive: true}))

/** The shipped inventory with other seaweedfs / seaweedfs_master members. */
function withGroups(seaweedfs: string[], masters: string[]): Inventory {
  return {
    ...inventory,
    groupHosts: (group: string) =>
      group === 'seaweedfs' ? seaweedfs : group === 'seaweedfs_master' ? masters : inventory.groupHosts(group),
    groups: new Map([...inventory.groups].filter(([name]) => masters.length > 0 || name !== 'seaweedfs_master')),
  }
}

describe('setup_seaweedfs', () => {
  it('renders three masters, four volume servers, data in child directories of the mount, no -ip on masters', async () => {
    const rendered = renderRole(role, inventory, ['manderly', 'payne'], {operator: {publicKeys: []}, stateDir: '/x'})
    await expectGoldens('seaweedfs', rendered)
    const master = rendered[0]!.files.find((f) => f.path.endsWith('seaweedfs-master.service'))!.content.toString()
    expect(master).toContain('-peers=manderly:9333,norcross:9333,oakheart:9333 ')
    expect(master).not.toMatch(/ -ip=/)
    expect(rendered[1]!.plan).toContain('service:seaweedfs-master.service')
    expect(rendered[1]!.files.map((f) => f.path)).toEqual(['/etc/systemd/system/seaweedfs-volume.service'])
    expect(rendered[1]!.plan).toContain('directory:/mnt/seaweedfs-nvme/data')
  })

  it('is skipped by validate on an inventory without SeaweedFS, and named when asked for by name', async () => {
    await expect(validateRoles('seaweedfs', {inventory: 'inventory/lab'})).rejects.toThrow(
      "seaweedfs: pattern 'seaweedfs' matched no hosts",
    )
  })

  it('takes the first three seaweedfs hosts as masters when there is no seaweedfs_master group', () => {
    expect(mastersOf(withGroups(['manderly', 'norcross', 'oakheart', 'payne'], []))).toEqual([
      'manderly',
      'norcross',
      'oakheart',
    ])
    expect(masterFindings(inventory)).toEqual([])
  })

  it('refuses an even number of masters, or fewer than three, with the reason', () => {
    const four = withGroups(
      ['manderly', 'norcross', 'oakheart', 'payne'],
      ['manderly', 'norcross', 'oakheart', 'payne'],
    )
    expect(masterFindings(four)).toEqual([
      {
        level: 'error',
        message:
          'SeaweedFS masters must be an odd number ("Only odd number of masters are supported"); it has 4 (manderly, norcross, oakheart, payne)',
      },
    ])
    expect(masterFindings(withGroups(['fenn', 'karstark'], []))[0]!.message).toBe(
      'SeaweedFS needs at least 3 masters for a Raft quorum that survives a failure; it has 2 (fenn, karstark)',
    )
  })
})

describe('the weed binary', () => {
  async function release(version: string, weed: string, md5Override?: string): Promise<string> {
    const work = path.join(scratch, `release-${Math.random().toString(36).slice(2)}`)
    mkdirSync(path.join(work, 'src'), {recursive: true})
    mkdirSync(path.join(work, 'artifacts', `seaweedfs-${version}`), {recursive: true})
    writeFileSync(path.join(work, 'src', 'weed'), weed, {mode: 0o755})
    const tarball = path.join(work, 'artifacts', `seaweedfs-${version}`, 'linux_arm64.tar.gz')
    await execa('tar', ['-czf', tarball, '-C', path.join(work, 'src'), 'weed'])
    const md5 = md5Override ?? createHash('md5').update(readFileSync(tarball)).digest('hex')
    writeFileSync(`${tarball}.md5`, `${md5}\n`)
    return path.join(work, 'artifacts')
  }

  it('comes from --artifacts DIR/seaweedfs-<version>/, verified against the .md5 SeaweedFS publishes', async () => {
    const artifactsDir = await release('3.66', '#!/bin/sh\necho weed 3.66\n')
    const cacheDir = path.join(scratch, 'cache')
    const resolved = await resolveWeed('3.66', ['arm64', 'arm64'], {artifactsDir, cacheDir, check: false})
    expect([...resolved.keys()]).toEqual(['arm64'])
    const weed = resolved.get('arm64')!
    expect(readFileSync(weed.path, 'utf8')).toBe('#!/bin/sh\necho weed 3.66\n')
    expect(weed.sha256).toBe(createHash('sha256').update('#!/bin/sh\necho weed 3.66\n').digest('hex'))
    expect(weed.path.startsWith(path.join(cacheDir, 'seaweedfs-3.66'))).toBe(true)
  })

  it('refuses a tarball whose MD5 does not match', async () => {
    const artifactsDir = await release('3.66', 'tampered', '0123456789abcdef0123456789abcdef')
    await expect(
      resolveWeed('3.66', ['arm64'], {artifactsDir, cacheDir: path.join(scratch, 'cache2'), check: false}),
    ).rejects.toThrow('checksum mismatch for linux_arm64.tar.gz: expected md5 0123456789abcdef0123456789abcdef')
  })

  it('stops the run naming the missing release file and where to put it', async () => {
    const artifactsDir = path.join(scratch, 'empty')
    mkdirSync(artifactsDir, {recursive: true})
    const run = resolveWeed('3.66', ['amd64'], {artifactsDir, cacheDir: path.join(scratch, 'cache3'), check: false})
    await expect(run).rejects.toThrow(
      /^missing artifact: SeaweedFS 3\.66 \(amd64\): linux_amd64\.tar\.gz \(and linux_amd64\.tar\.gz\.md5\) could not be found or downloaded .*; nothing was changed on any host$/,
    )
    await expect(run).rejects.toMatchObject({hint: expect.stringContaining(`${artifactsDir}/seaweedfs-3.66/`)})
  })
})
