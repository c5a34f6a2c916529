import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {initRequest, parseInit, parseSealStatus, unsealRequests} from '../../../src/roles/vault/operator.js'

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures', 'vault-api')
const ok = (name: string) => ({body: readFileSync(path.join(FIXTURES, name), 'utf8'), status: 200})
const URL = 'https://10.77.0.11:8200'
const CA = '/etc/ssl/certs/goldentooth.pem'
const NOW = new Date('2025-06-01T00:00:00Z')

const sealed = parseSealStatus(ok('seal-status-sealed.json'), 'lab1')
const stored = parseInit(ok('init-shamir.json'), 'lab1', 3, NOW)

describe('vault init and unseal decisions', () => {
  it('reads the seal status', () => {
    expect(sealed).toEqual({initialized: true, progress: 2, sealed: true, t: 3, type: 'shamir'})
    expect(() => parseSealStatus({body: '', status: 0}, 'lab1')).toThrow("lab1: Vault's API did not answer")
    expect(() => parseSealStatus({body: '{"errors":["permission denied"]}', status: 403}, 'lab1')).toThrow(
      'lab1: Vault answered GET /v1/sys/seal-status with HTTP 403: permission denied',
    )
  })

  it('initialises with unseal key shares under Shamir, recovery shares under an auto-unseal', () => {
    expect(initRequest(URL, CA, sealed, 5, 3)).toEqual({
      body: {secret_shares: 5, secret_threshold: 3},
      cacert: CA,
      method: 'PUT',
      url: `${URL}/v1/sys/init`,
    })
    expect(initRequest(URL, CA, {...sealed, type: 'awskms'}, 5, 3).body).toEqual({
      recovery_shares: 5,
      recovery_threshold: 3,
    })
    expect(() => initRequest(URL, CA, sealed, 3, 4)).toThrow(
      'the key threshold (4) must be between 1 and the number of shares (3)',
    )
  })

  it('keeps the base64 keys and the root token', () => {
    expect(stored).toEqual({
      host: 'lab1',
      initializedAt: '2025-06-01T00:00:00.000Z',
      keyType: 'unseal',
      keys: ['cR9No5cBC', 'F3VLrkOo', 'zIDSZNGv'],
      rootToken: 'foo',
      threshold: 3,
    })
    expect(parseInit(ok('init-awskms.json'), 'lab1', 3, NOW)).toMatchObject({
      keyType: 'recovery',
      keys: ['cR9No5cBC', 'F3VLrkOo', 'zIDSZNGv'],
    })
    expect(() =>
      parseInit(
        {body: readFileSync(path.join(FIXTURES, 'error-already-initialized.json'), 'utf8'), status: 400},
        'lab1',
        3,
        NOW,
      ),
    ).toThrow('lab1: Vault answered PUT /v1/sys/init with HTTP 400: Vault is already initialized')
  })

  it('unseals a sealed server: reset half-entered keys, then the threshold of stored keys', () => {
    const requests = unsealRequests(URL, CA, sealed, stored, 'lab1')
    expect(requests.map((r) => r.body)).toEqual([
      {reset: true},
      {key: 'cR9No5cBC'},
      {key: 'F3VLrkOo'},
      {key: 'zIDSZNGv'},
    ])
    expect(requests.every((r) => r.method === 'PUT' && r.url === `${URL}/v1/sys/unseal` && r.cacert === CA)).toBe(true)
  })

  it('leaves an unsealed server alone, and says why it cannot unseal otherwise', () => {
    expect(unsealRequests(URL, CA, {...sealed, sealed: false}, stored, 'lab1')).toEqual([])
    const uninitialised = parseSealStatus(ok('seal-status-uninitialized.json'), 'lab1')
    expect(() => unsealRequests(URL, CA, uninitialised, stored, 'lab1')).toThrow('lab1: Vault is not initialised')
    expect(() => unsealRequests(URL, CA, {...sealed, type: 'awskms'}, stored, 'lab1')).toThrow(
      /awskms seal, which unseals itself/,
    )
    expect(() => unsealRequests(URL, CA, {...sealed, t: 4}, stored, 'lab1')).toThrow(
      'lab1 needs 4 unseal keys; the secret store has 3',
    )
    expect(() => unsealRequests(URL, CA, sealed, {...stored, keyType: 'recovery'}, 'lab1')).toThrow(/recovery keys/)
  })
})
