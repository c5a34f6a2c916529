import {zipSync} from 'fflate'
import {createHash} from 'node:crypto'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {goArch, releaseArtifact, releaseBinaries, unpackBinary} from '../../../../src/roles/shared/hashicorp/release.js'

const sha256 = (content: Uint8Array) => createHash('sha256').update(content).digest('hex')

/** A release zip in HashiCorp's layout (the binary plus a LICENSE at the top) and its SHA256SUMS line. */
function release(dir: string, name: string, version: string, arch: string, binary: string): Uint8Array {
  const zip = zipSync({'LICENSE.txt': Buffer.from('MPL\n'), [name]: Buffer.from(binary)})
  const file = `${name}_${version}_linux_${arch}.zip`
  writeFileSync(path.join(dir, file), zip)
  writeFileSync(path.join(dir, `${name}_${version}_SHA256SUMS`), `${sha256(zip)}  ${file}\n`, {flag: 'a'})
  return zip
}

describe('HashiCorp release binaries', () => {
  let artifacts: string
  let cache: string
  beforeEach(() => {
    artifacts = mkdtempSync(path.join(os.tmpdir(), 'gt-release-'))
    cache = mkdtempSync(path.join(os.tmpdir(), 'gt-cache-'))
  })
  afterEach(() => {
    rmSync(artifacts, {force: true, recursive: true})
    rmSync(cache, {force: true, recursive: true})
  })

  it('names the vendor files by Debian architecture', () => {
    expect(releaseArtifact({architecture: 'arm64', binary: 'consul', name: 'consul', version: '1.20.5'})).toEqual({
      file: 'consul_1.20.5_linux_arm64.zip',
      label: 'consul 1.20.5 (arm64)',
      sumsFile: 'consul_1.20.5_SHA256SUMS',
      sumsUrl: 'https://releases.hashicorp.com/consul/1.20.5/consul_1.20.5_SHA256SUMS',
      url: 'https://releases.hashicorp.com/consul/1.20.5/consul_1.20.5_linux_arm64.zip',
    })
    expect(goArch('armhf')).toBe('arm')
    expect(() => goArch('riscv64')).toThrow(/no Linux release for the riscv64/)
  })

  it('verifies each zip against SHA256SUMS, unpacks the binary once per architecture and caches it', async () => {
    release(artifacts, 'consul', '1.20.5', 'arm64', 'consul for arm64')
    release(artifacts, 'consul', '1.20.5', 'amd64', 'consul for amd64')
    const requests = ['arm64', 'amd64', 'arm64'].map((architecture) => ({
      architecture,
      binary: 'consul',
      name: 'consul',
      version: '1.20.5',
    }))
    const resolved = await releaseBinaries(requests, {artifactsDir: artifacts, cacheDir: cache, check: false})
    expect([...resolved.keys()]).toEqual(['consul@1.20.5/amd64', 'consul@1.20.5/arm64'])
    const arm = resolved.get('consul@1.20.5/arm64')!
    expect(readFileSync(arm.path, 'utf8')).toBe('consul for arm64')
    expect(arm.sha256).toBe(sha256(Buffer.from('consul for arm64')))
    expect(arm.path.startsWith(cache)).toBe(true)
  })

  it('under --check resolves the checksum but caches nothing', async () => {
    release(artifacts, 'vault', '1.19.0', 'arm64', 'vault')
    const resolved = await releaseBinaries(
      [{architecture: 'arm64', binary: 'vault', name: 'vault', version: '1.19.0'}],
      {artifactsDir: artifacts, cacheDir: cache, check: true},
    )
    expect(resolved.get('vault@1.19.0/arm64')!.sha256).toBe(sha256(Buffer.from('vault')))
    expect(existsSync(path.join(cache, 'derived'))).toBe(false)
  })

  it('names every missing release in one error, before anything happens', async () => {
    release(artifacts, 'nomad', '1.9.7', 'amd64', 'nomad')
    const error = (await releaseBinaries(
      [
        {architecture: 'amd64', binary: 'nomad', name: 'nomad', version: '1.9.7'},
        {architecture: 'arm64', binary: 'nomad', name: 'nomad', version: '1.9.7'},
        {architecture: 'amd64', binary: 'nomad-device-nvidia', name: 'nomad-device-nvidia', version: '1.1.0'},
      ],
      {artifactsDir: artifacts, cacheDir: cache, check: false},
    ).catch((e: unknown) => e)) as Error & {hint?: string}
    expect(error.message).toBe(
      'missing artifacts: nomad-device-nvidia 1.1.0 (amd64): nomad-device-nvidia_1.1.0_linux_amd64.zip; ' +
        'nomad 1.9.7 (arm64): nomad_1.9.7_linux_arm64.zip; nothing was changed on any host',
    )
    expect(error.hint).toContain('https://releases.hashicorp.com/nomad/1.9.7/nomad_1.9.7_linux_arm64.zip')
  })

  it('refuses a zip whose checksum does not match, and a zip without the binary', async () => {
    release(artifacts, 'consul', '1.20.5', 'arm64', 'consul')
    writeFileSync(path.join(artifacts, 'consul_1.20.5_linux_arm64.zip'), zipSync({consul: Buffer.from('tampered')}))
    await expect(
      releaseBinaries([{architecture: 'arm64', binary: 'consul', name: 'consul', version: '1.20.5'}], {
        artifactsDir: artifacts,
        cacheDir: cache,
        check: false,
      }),
    ).rejects.toThrow(/checksum mismatch for consul_1\.20\.5_linux_arm64\.zip/)
    await expect(unpackBinary(Buffer.from(zipSync({other: Buffer.from('x')})), 'consul', 'c.zip')).rejects.toThrow(
      'c.zip holds no file named consul',
    )
    await expect(unpackBinary(Buffer.from('not a zip'), 'consul', 'c.zip')).rejects.toThrow(/not a readable zip/)
  })
})
