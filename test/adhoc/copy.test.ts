import {describe, expect, it} from 'vitest'

import {hostDirectoryName, parseEndpoint, remoteFileName} from '../../src/adhoc/copy.js'

describe('parseEndpoint', () => {
  it.each([
    ['bettley:/var/log/consul.log', {kind: 'remote', path: '/var/log/consul.log', pattern: 'bettley'}],
    ['consul_server:/etc/consul.d/', {kind: 'remote', path: '/etc/consul.d/', pattern: 'consul_server'}],
    ['a:b:/tmp/x', {kind: 'remote', path: '/tmp/x', pattern: 'a:b'}],
    ['slurm[1:2]:/tmp/x', {kind: 'remote', path: '/tmp/x', pattern: 'slurm[1:2]'}],
    ['lab1:notes.txt', {kind: 'remote', path: 'notes.txt', pattern: 'lab1'}],
    ['./a:b', {kind: 'local', path: './a:b'}],
    ['/tmp/x:y', {kind: 'local', path: '/tmp/x:y'}],
    ['plain.txt', {kind: 'local', path: 'plain.txt'}],
  ])('%s', (spec, expected) => {
    expect(parseEndpoint(spec)).toEqual(expected)
  })

  it('rejects a host with no path', () => {
    expect(() => parseEndpoint('bettley:')).toThrow(/no path after ':'/)
  })
})

describe('hostDirectoryName', () => {
  it.each([
    ['node01', 'node01'],
    ['web01.example.net', 'web01.example.net'],
    ['../escape', '%2E.%2Fescape'],
    ['./node01', '%2E%2Fnode01'],
    ['.', '%2E'],
    ['..', '%2E.'],
    ['.hidden', '%2Ehidden'],
    ['50%', '50%25'],
    ['a/b', 'a%2Fb'],
    ['fe80::1', 'fe80%3A%3A1'],
    ['nœud', 'n%C5%93ud'],
  ])('%s -> %s', (host, name) => {
    expect(hostDirectoryName(host)).toBe(name)
  })

  it('never collides, never leaves the directory, and decodes back to the host name', () => {
    const hosts = ['node01', './node01', '%2E%2Fnode01', '.', '..', '%2E', '%2E.', 'a/b', 'a%2Fb', 'x y', 'x%20y', '.x']
    const names = hosts.map(hostDirectoryName)
    expect(new Set(names).size).toBe(hosts.length)
    for (const [i, name] of names.entries()) {
      expect(name).not.toMatch(/\/|^\.\.?$/)
      expect(decodeURIComponent(name)).toBe(hosts[i])
    }
  })
})

describe('remoteFileName', () => {
  it('is the last component of the path', () => {
    expect(remoteFileName('/etc/hostname')).toBe('hostname')
    expect(remoteFileName('notes.txt')).toBe('notes.txt')
  })

  it.each(['/', '/etc/', '/tmp/.', '/tmp/..', '.', '..'])('refuses %s, which names a directory', (remote) => {
    expect(() => remoteFileName(remote)).toThrow(`${remote} names a directory; cp copies files`)
  })
})
