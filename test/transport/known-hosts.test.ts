import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {
  checkHostKey,
  entryMatches,
  fingerprint,
  hostKeyAlgorithms,
  loadKnownHosts,
  parseKnownHosts,
} from '../../src/transport/known-hosts.js'

const dir = mkdtempSync(join(tmpdir(), 'gt-known-hosts-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

function key(name: string, type = 'ed25519'): {line: string; blob: Buffer} {
  const path = join(dir, name)
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', '', '-f', path])
  const line = readFileSync(`${path}.pub`, 'utf8').trim()
  return {line, blob: Buffer.from(line.split(' ')[1] as string, 'base64')}
}

const alpha = key('alpha')
const beta = key('beta')
const gamma = key('gamma', 'ecdsa')
const ca = key('ca')

describe('known_hosts matching', () => {
  const [entry] = parseKnownHosts(`web*.example,!web9.example,db?.lan,[10.0.0.5]:2222 ${alpha.line}\n`, 'kh')
  it.each([
    ['web1.example', true],
    ['WEB1.Example', true],
    ['web9.example', false],
    ['db1.lan', true],
    ['db12.lan', false],
    ['[10.0.0.5]:2222', true],
    ['10.0.0.5', false],
    ['[10.0.0.5]:22', false],
  ])('%s → %s', (name, expected) => {
    expect(entryMatches(entry!, name)).toBe(expected)
  })

  it('matches hashed names written by ssh-keygen -H, and only those', () => {
    const file = join(dir, 'hashed')
    writeFileSync(file, `[127.0.0.11]:2222 ${alpha.line}\nnode1.lan ${beta.line}\n`)
    execFileSync('ssh-keygen', ['-q', '-H', '-f', file], {stdio: 'pipe'})
    const entries = parseKnownHosts(readFileSync(file, 'utf8'), file)
    expect(entries.map((e) => e.hosts.startsWith('|1|'))).toEqual([true, true])
    expect(checkHostKey(entries, '[127.0.0.11]:2222', alpha.blob).status).toBe('known')
    expect(checkHostKey(entries, 'node1.lan', beta.blob).status).toBe('known')
    expect(checkHostKey(entries, '127.0.0.11', alpha.blob).status).toBe('unknown')
    expect(checkHostKey(entries, 'node1.lan', alpha.blob).status).toBe('changed')
  })
})

describe('checkHostKey', () => {
  const text = [
    '# comment',
    '',
    `node1 ${alpha.line}`,
    `node2 ${beta.line}`,
    `@revoked * ${gamma.line}`,
    `@cert-authority *.lab ${ca.line}`,
    `@bogus node1 ${beta.line}`,
    'node3 ssh-ed25519 not-base64-of-an-ed25519-key',
  ].join('\n')
  const entries = parseKnownHosts(text, '/kh')

  it('skips comments, blank lines, unknown markers and malformed keys', () => {
    expect(entries.map((e) => [e.line, e.marker ?? 'plain'])).toEqual([
      [3, 'plain'],
      [4, 'plain'],
      [5, 'revoked'],
      [6, 'cert-authority'],
    ])
  })

  it('knows a listed key, says changed for another key, unknown for an unlisted host', () => {
    expect(checkHostKey(entries, 'node1', alpha.blob)).toMatchObject({status: 'known', entry: {line: 3}})
    expect(checkHostKey(entries, 'node1', beta.blob)).toMatchObject({status: 'changed', entries: [{line: 3}]})
    expect(checkHostKey(entries, 'elsewhere', alpha.blob).status).toBe('unknown')
  })

  it('refuses a revoked key even where it is otherwise listed', () => {
    const listed = parseKnownHosts(`${text}\nnode4 ${gamma.line}`, '/kh')
    expect(checkHostKey(listed, 'node4', gamma.blob)).toMatchObject({status: 'revoked', entry: {line: 5}})
  })

  it('asks for a certificate where only a CA is trusted', () => {
    expect(checkHostKey(entries, 'n1.lab', alpha.blob)).toMatchObject({
      status: 'certificate-required',
      authorities: [{line: 6}],
    })
  })

  it('offers the algorithms of known keys first', () => {
    const both = parseKnownHosts(`node5 ${gamma.line}\n`, '/kh')
    expect(hostKeyAlgorithms(both, 'node5')[0]).toBe('ecdsa-sha2-nistp256')
    expect(hostKeyAlgorithms(both, 'other')[0]).toBe('ssh-ed25519')
    const rsa = parseKnownHosts(`node6 ssh-rsa ${key('rsa', 'rsa').line.split(' ')[1]}\n`, '/kh')
    expect(hostKeyAlgorithms(rsa, 'node6').slice(0, 2)).toEqual(['rsa-sha2-512', 'rsa-sha2-256'])
  })

  it('prints fingerprints as ssh-keygen -l does', () => {
    const printed = execFileSync('ssh-keygen', ['-l', '-f', join(dir, 'alpha.pub')])
      .toString()
      .split(' ')[1]
    expect(fingerprint(alpha.blob)).toBe(printed)
  })

  it('reads several files in order and ignores missing ones', async () => {
    const first = join(dir, 'first')
    writeFileSync(first, `node1 ${alpha.line}\n`)
    const loaded = await loadKnownHosts([join(dir, 'missing'), first, '/dev/null'])
    expect(loaded.map((e) => [e.file, e.line])).toEqual([[first, 1]])
  })
})
