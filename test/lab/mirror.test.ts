import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {hostDebianMirrors, parseAptSources, pickDebianMirrors} from '../../src/lab/mirror.js'

const dir = mkdtempSync(path.join(tmpdir(), 'gt-lab-apt-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('parseAptSources', () => {
  it('reads one-line entries, skipping options, comments and deb-src', () => {
    const text = [
      '# a comment',
      'deb [arch=amd64 signed-by=/k.gpg] http://ftp.de.debian.org/debian bookworm main contrib # trailing',
      'deb-src http://ftp.de.debian.org/debian bookworm main',
      'deb http://security.debian.org/debian-security bookworm-security main',
    ].join('\n')
    expect(parseAptSources(text, false)).toEqual([
      {uris: ['http://ftp.de.debian.org/debian'], suites: ['bookworm'], components: ['main', 'contrib']},
      {uris: ['http://security.debian.org/debian-security'], suites: ['bookworm-security'], components: ['main']},
    ])
  })

  it('reads deb822 stanzas, skipping disabled ones and deb-src', () => {
    const text = [
      'Types: deb',
      '# http://snapshot.debian.org/archive/debian/20250520T000000Z',
      'URIs: http://mirror.example/debian',
      'Suites: bookworm bookworm-updates',
      'Components: main',
      '',
      'Types: deb',
      'URIs: http://other.example/debian',
      'Suites: bookworm',
      'Components: main',
      'Enabled: no',
      '',
      'Types: deb-src',
      'URIs: http://src.example/debian',
      'Suites: bookworm',
      'Components: main',
    ].join('\n')
    expect(parseAptSources(text, true)).toEqual([
      {uris: ['http://mirror.example/debian'], suites: ['bookworm', 'bookworm-updates'], components: ['main']},
    ])
  })
})

describe('pickDebianMirrors', () => {
  it('takes the first Debian archive and the first security archive', () => {
    expect(
      pickDebianMirrors([
        {uris: ['https://deb.nodesource.com/node_20.x'], suites: ['nodistro'], components: ['main']},
        {uris: ['http://mirror.example/debian/'], suites: ['bookworm'], components: ['main']},
        {uris: ['http://sec.example/debian-security'], suites: ['bookworm-security'], components: ['main']},
      ]),
    ).toEqual({mirror: 'http://mirror.example/debian', security: 'http://sec.example/debian-security'})
  })

  it('falls back to deb.debian.org', () => {
    expect(pickDebianMirrors([])).toEqual({
      mirror: 'http://deb.debian.org/debian',
      security: 'http://deb.debian.org/debian-security',
    })
  })
})

describe('hostDebianMirrors', () => {
  it('reads sources.list and sources.list.d/*.list and *.sources, ignoring other files', () => {
    mkdirSync(path.join(dir, 'sources.list.d'))
    writeFileSync(path.join(dir, 'sources.list'), '# nothing here\n')
    writeFileSync(
      path.join(dir, 'sources.list.d', 'a.list.disabled'),
      'deb http://disabled.example/debian bookworm main\n',
    )
    writeFileSync(
      path.join(dir, 'sources.list.d', 'debian.sources'),
      'Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm\nComponents: main\n',
    )
    expect(hostDebianMirrors(dir)).toEqual({
      mirror: 'http://mirror.example/debian',
      security: 'http://deb.debian.org/debian-security',
    })
  })
})
