import {execFileSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import {InvalidInputError, RunError} from '../../../../src/core/errors.js'
import {resourceId} from '../../../../src/engine/resources.js'
import {loadInventory} from '../../../../src/inventory/load.js'
import {resolveBinaries, smallstepArtifact} from '../../../../src/roles/shared/pki/binaries.js'
import {installResources, prepareInstall} from '../../../../src/roles/shared/pki/install.js'
import {stepCaSettings} from '../../../../src/roles/shared/pki/settings.js'

const dir = mkdtempSync(path.join(os.tmpdir(), 'gt-pki-install-'))
afterAll(() => rmSync(dir, {force: true, recursive: true}))
const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex')

describe('installing step and step-ca', () => {
  it('unpacks the binary from a release tarball verified against checksums.txt', async () => {
    const artifacts = path.join(dir, 'artifacts')
    const tree = path.join(dir, 'tree', 'step_0.28.2', 'bin')
    mkdirSync(artifacts, {recursive: true})
    mkdirSync(tree, {recursive: true})
    writeFileSync(path.join(tree, 'step'), 'not a real step binary\n')
    const spec = smallstepArtifact({architecture: 'arm64', tool: 'step', version: '0.28.2'})
    expect(spec.file).toBe('step_linux_0.28.2_arm64.tar.gz')
    execFileSync('tar', ['-czf', path.join(artifacts, spec.file), '-C', path.join(dir, 'tree'), 'step_0.28.2'])
    const tarball = readFileSync(path.join(artifacts, spec.file))
    writeFileSync(path.join(artifacts, spec.sumsFile), `${sha256(tarball)}  ${spec.file}\n`)
    const context = {artifactsDir: artifacts, cacheDir: path.join(dir, 'cache'), check: false}
    const resolved = await resolveBinaries([{architecture: 'arm64', tool: 'step', version: '0.28.2'}], context)
    const binary = resolved.get('step@0.28.2/arm64')!
    expect(readFileSync(binary.path, 'utf8')).toBe('not a real step binary\n')
    expect(binary.sha256).toBe(sha256(Buffer.from('not a real step binary\n')))

    writeFileSync(path.join(artifacts, spec.sumsFile), `${'0'.repeat(64)}  ${spec.file}\n`)
    await expect(resolveBinaries([{architecture: 'arm64', tool: 'step', version: '0.28.2'}], context)).rejects.toThrow(
      /checksum mismatch for step_linux_0.28.2_arm64.tar.gz/,
    )
  })

  it('apt: the Smallstep repository in deb822 form with its pinned key, then the packages', async () => {
    const inventory = await loadInventory('inventory')
    const vars = {...inventory.hostVars('jast'), step_ca: {install: 'apt', apt: {keyring_sha256: 'ab'.repeat(32)}}}
    const settings = stepCaSettings(inventory, vars)
    expect(settings.stepBinary).toBe('/usr/bin/step')
    const resources = installResources(settings, ['step-ca', 'step'], 'arm64', {
      binaries: new Map(),
      keyring: {path: '/cache/repo-signing-key.gpg', sha256: 'ab'.repeat(32)},
    })
    expect(resources.map(resourceId)).toEqual([
      'directory:/etc/apt/keyrings',
      'artifact:/etc/apt/keyrings/smallstep.gpg',
      'file:/etc/apt/sources.list.d/smallstep.sources',
      'package:step-ca,step-cli',
    ])
    expect(resources[2]).toMatchObject({
      content:
        'Types: deb\nURIs: https://packages.smallstep.com/stable/debian\nSuites: debs\nComponents: main\n' +
        'Signed-By: /etc/apt/keyrings/smallstep.gpg\n',
    })
    const unpinned = stepCaSettings(inventory, {...vars, step_ca: {install: 'apt'}})
    await expect(prepareInstall(unpinned, [], {cacheDir: dir, check: true})).rejects.toThrow(InvalidInputError)
    const missing = prepareInstall(settings, [], {
      artifactsDir: path.join(dir, 'artifacts'),
      cacheDir: dir,
      check: true,
    })
    await expect(missing).rejects.toThrow(RunError)
    await expect(missing).rejects.toThrow(/missing artifact: Smallstep apt repository key: repo-signing-key.gpg/)
  })
})
