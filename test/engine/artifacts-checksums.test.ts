import {describe, expect, it} from 'vitest'

import {expectedChecksum} from '../../src/engine/artifacts.js'

describe('expectedChecksum', () => {
  it('reads a SHA256SUMS line, with or without the binary-mode star', () => {
    const sums = 'aaaa  consul_1.20.1_linux_amd64.zip\nBBBB *consul_1.20.1_linux_arm64.zip\n'
    expect(expectedChecksum(sums, 'consul_1.20.1_linux_arm64.zip')).toBe('bbbb')
    expect(expectedChecksum(sums, 'consul_1.20.1_linux_amd64.zip')).toBe('aaaa')
    expect(expectedChecksum(sums, 'consul_1.20.1_linux_arm.zip')).toBeUndefined()
  })

  it('reads a sidecar holding only the hash (SeaweedFS publishes <asset>.md5)', () => {
    expect(expectedChecksum('0123abcd\n', 'linux_arm64.tar.gz')).toBe('0123abcd')
  })

  it('matches an entry recorded with a directory prefix', () => {
    expect(expectedChecksum('cafe  dist/tool-linux-arm64\n', 'tool-linux-arm64')).toBe('cafe')
  })
})
