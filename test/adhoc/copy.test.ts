import {describe, expect, it} from 'vitest'

import {parseEndpoint} from '../../src/adhoc/copy.js'

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
