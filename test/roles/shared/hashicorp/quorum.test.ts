import {describe, expect, it} from 'vitest'

import {quorumProblem} from '../../../../src/roles/shared/hashicorp/quorum.js'

describe('Raft quorum sizes', () => {
  it('accepts 3 and 5 servers', () => {
    expect(quorumProblem('consul_server', ['a', 'b', 'c'])).toBeUndefined()
    expect(quorumProblem('consul_server', ['a', 'b', 'c', 'd', 'e'])).toBeUndefined()
  })

  it('rejects one server, an even count and none, with the reason', () => {
    expect(quorumProblem('nomad_server', ['a'])).toBe(
      'nomad_server has 1 host (a): one server is a quorum with no redundancy (losing it loses the cluster); use 3 or 5',
    )
    expect(quorumProblem('vault', ['a', 'b'])).toBe(
      'vault has 2 hosts (a, b): a Raft quorum of 2 needs 2 votes and tolerates 0 failures, no more than 1 servers ' +
        'would; use an odd number (3 or 5)',
    )
    expect(quorumProblem('consul_server', ['a', 'b', 'c', 'd'])).toBe(
      'consul_server has 4 hosts (a, b, c, d): a Raft quorum of 4 needs 3 votes and tolerates 1 failure, no more ' +
        'than 3 servers would; use an odd number (3 or 5)',
    )
    expect(quorumProblem('consul_server', [])).toMatch(/has 0 hosts: .* at least 3/)
  })
})
