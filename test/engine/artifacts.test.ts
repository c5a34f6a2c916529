import {zipSync} from 'fflate'
import {createHash} from 'node:crypto'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'

import {RunError, UsageError} from '../../src/core/errors.js'
import {cacheDerived, resolveArtifact, resolvePinned} from '../../src/engine/artifacts.js'
import {releaseArtifact} from '../../src/roles/shared/hashicorp/release.js'

/**
 * The release-download path against a mirror on loopback (node:http) laid out as `wget -x` saves the vendor's site:
 * a made-up Consul release and its SHA256SUMS, and a release whose SHA256SUMS does not match it.
 */
const sha256 = (content: Uint8Array) => createHash('sha256').update(content).digest('hex')
const scratch = mkdtempSync(path.join(os.tmpdir(), 'gt-artifacts-'))
const GOOD = releaseArtifact({architecture: 'arm64', binary: 'consul', name: 'consul', version: '1.20.5'})
const BAD = releaseArtifact({architecture: 'arm64', binary: 'consul', name: 'consul', version: '1.20.6'})
const KEY = {
  file: 'hashicorp.asc',
  label: 'HashiCorp apt key',
  sha256: '',
  url: 'https://apt.releases.hashicorp.com/gpg',
}

const files = new Map<string, Buffer>()
const requests: string[] = []
let server: Server
let mirror: string

/** Where the mirror serves a vendor URL. */
const onMirror = (url: string) => `/mirror/${new URL(url).host}${new URL(url).pathname}`

beforeAll(async () => {
  const zip = Buffer.from(zipSync({'LICENSE.txt': Buffer.from('MPL\n'), consul: Buffer.from('consul for arm64')}))
  files.set(onMirror(GOOD.url), zip)
  files.set(onMirror(GOOD.sumsUrl), Buffer.from(`${'0'.repeat(64)}  other.zip\n${sha256(zip)}  ${GOOD.file}\n`))
  files.set(onMirror(BAD.url), zip)
  files.set(onMirror(BAD.sumsUrl), Buffer.from(`${sha256(Buffer.from('something else'))}  ${BAD.file}\n`))
  const key = Buffer.from('-----BEGIN PGP PUBLIC KEY BLOCK-----\nmade up\n')
  files.set(onMirror(KEY.url), key)
  KEY.sha256 = sha256(key)
  server = createServer((request, response) => {
    requests.push(request.url ?? '')
    const content = files.get(request.url ?? '')
    response.writeHead(content ? 200 : 404).end(content)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mirror`
})

afterEach(() => {
  delete process.env.GOLDENTOOTH_RELEASE_MIRROR
  process.env.GOLDENTOOTH_OFFLINE = '1'
  requests.length = 0
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  rmSync(scratch, {force: true, recursive: true})
})

const cacheDir = () => mkdtempSync(path.join(scratch, 'cache-'))

async function failure(work: () => Promise<unknown>): Promise<RunError> {
  try {
    await work()
  } catch (error) {
    return error as RunError
  }
  throw new Error('expected a failure')
}

describe('a release mirror (GOLDENTOOTH_RELEASE_MIRROR)', () => {
  it('downloads the release and its SHA256SUMS, verifies, caches both, and is not asked again', async () => {
    process.env.GOLDENTOOTH_RELEASE_MIRROR = mirror
    const cache = cacheDir()
    const first = await resolveArtifact(GOOD, {cacheDir: cache})
    expect(first.content).toEqual(files.get(onMirror(GOOD.url)))
    expect(first.sha256).toBe(sha256(first.content))
    expect(requests.sort()).toEqual([onMirror(GOOD.url), onMirror(GOOD.sumsUrl)].sort())
    expect(readdirSync(cache).sort()).toEqual([GOOD.file, GOOD.sumsFile].sort())
    expect(readFileSync(path.join(cache, GOOD.file))).toEqual(first.content)
    requests.length = 0
    expect((await resolveArtifact(GOOD, {cacheDir: cache})).sha256).toBe(first.sha256)
    expect(requests).toEqual([])
  })

  it('refuses a release whose checksum does not match, naming both downloads, and caches nothing', async () => {
    process.env.GOLDENTOOTH_RELEASE_MIRROR = `${mirror}/`
    const cache = cacheDir()
    const error = await failure(() => resolveArtifact(BAD, {cacheDir: cache}))
    expect(error).toBeInstanceOf(RunError)
    expect(error.message).toBe(
      `checksum mismatch for ${BAD.file}: expected sha256 ${sha256(Buffer.from('something else'))} ` +
        `(from ${mirror}${onMirror(BAD.sumsUrl).slice('/mirror'.length)}), ` +
        `got ${sha256(files.get(onMirror(BAD.url))!)} (${mirror}${onMirror(BAD.url).slice('/mirror'.length)})`,
    )
    expect(error.hint).toBe("check that the mirror or the vendor's site serves the published release, and run again")
    expect(readdirSync(cache)).toEqual([])
  })

  it('names the mirror URL of a file the mirror does not have', async () => {
    process.env.GOLDENTOOTH_RELEASE_MIRROR = mirror
    const missing = releaseArtifact({architecture: 'amd64', binary: 'nomad', name: 'nomad', version: '1.9.0'})
    const error = await failure(() => resolveArtifact(missing, {cacheDir: cacheDir()}))
    expect(error.message).toMatch(/^missing artifact: nomad 1\.9\.0 \(amd64\): .*HTTP 404\)$/)
    expect(error.message).toContain(`${mirror}/releases.hashicorp.com/nomad/1.9.0/`)
  })

  it('serves pinned files too (an apt key), verified against the inventory and cached', async () => {
    process.env.GOLDENTOOTH_RELEASE_MIRROR = mirror
    const cache = cacheDir()
    const key = await resolvePinned(KEY, {cacheDir: cache})
    expect(key.sha256).toBe(KEY.sha256)
    expect(readdirSync(cache)).toEqual([KEY.file])
  })

  it('is refused when it is not an http(s) URL', async () => {
    process.env.GOLDENTOOTH_RELEASE_MIRROR = 'ftp://mirror.lan/'
    const error = await failure(() => resolveArtifact(GOOD, {cacheDir: cacheDir()}))
    expect(error).toBeInstanceOf(UsageError)
    expect(error.message).toBe('GOLDENTOOTH_RELEASE_MIRROR is not an http or https URL: ftp://mirror.lan/')
  })
})

describe('GOLDENTOOTH_OFFLINE', () => {
  it('is set for every test (vitest.config.ts)', () => {
    expect(process.env.GOLDENTOOTH_OFFLINE).toBe('1')
  })

  it('refuses to download when no mirror is set, and says what to do', async () => {
    const error = await failure(() => resolveArtifact(GOOD, {cacheDir: cacheDir()}))
    expect(error.message).toBe(
      `missing artifact: ${GOOD.label}: ${GOOD.file} (and ${GOOD.sumsFile}) could not be found or downloaded ` +
        '(not downloaded: GOLDENTOOTH_OFFLINE is set)',
    )
    expect(error.hint).toContain(`download ${GOOD.url} and ${GOOD.sumsUrl} on a machine with internet`)
    expect(requests).toEqual([])
  })

  it('refuses a mirror that is not on a loopback or private address, before connecting to it', async () => {
    process.env.GOLDENTOOTH_RELEASE_MIRROR = 'http://203.0.113.7:8080/releases'
    const error = await failure(() => resolveArtifact(GOOD, {cacheDir: cacheDir()}))
    expect(error.message).toContain(
      '(not downloaded: GOLDENTOOTH_OFFLINE is set and 203.0.113.7:8080 is not a loopback or private address)',
    )
  })

  it('finds the files in --artifacts DIR without any download', async () => {
    const artifacts = mkdtempSync(path.join(scratch, 'artifacts-'))
    writeFileSync(path.join(artifacts, GOOD.file), files.get(onMirror(GOOD.url))!)
    writeFileSync(path.join(artifacts, GOOD.sumsFile), files.get(onMirror(GOOD.sumsUrl))!)
    const cache = cacheDir()
    await resolveArtifact(GOOD, {artifactsDir: artifacts, cacheDir: cache})
    expect(requests).toEqual([])
    expect(readdirSync(cache)).toEqual([])
  })

  it('names a local file whose checksum does not match, and says to delete it', async () => {
    const artifacts = mkdtempSync(path.join(scratch, 'artifacts-'))
    writeFileSync(path.join(artifacts, BAD.file), 'truncated')
    writeFileSync(path.join(artifacts, BAD.sumsFile), files.get(onMirror(BAD.sumsUrl))!)
    const error = await failure(() => resolveArtifact(BAD, {artifactsDir: artifacts, cacheDir: cacheDir()}))
    expect(error.message).toContain(`got ${sha256(Buffer.from('truncated'))} (${artifacts}/${BAD.file})`)
    expect(error.hint).toBe(
      `delete ${artifacts}/${BAD.file} and ${artifacts}/${BAD.sumsFile} and run again to download the vendor's files`,
    )
  })
})

describe('cacheDerived', () => {
  it('stores an unpacked binary by content, executable', async () => {
    const cache = cacheDir()
    const resolved = await cacheDerived(Buffer.from('#!/bin/sh\n'), {cacheDir: cache, name: 'consul'})
    expect(resolved.path).toBe(path.join(cache, 'derived', sha256(Buffer.from('#!/bin/sh\n')), 'consul'))
    expect(statSync(resolved.path).mode & 0o777).toBe(0o755)
    expect(existsSync(resolved.path)).toBe(true)
  })
})
