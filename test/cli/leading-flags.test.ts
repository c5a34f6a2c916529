import {describe, expect, it} from 'vitest'

// @ts-expect-error plain JavaScript entry helper
import {hoistLeadingFlags} from '../../bin/leading-flags.js'

describe('hoistLeadingFlags', () => {
  it('moves global flags given before the command into the environment', () => {
    const env: Record<string, string> = {}
    const args = hoistLeadingFlags(['-i', 'inventory/lab', '--no-color', 'command', 'all', '--', 'hostname'], env)
    expect(args).toEqual(['command', 'all', '--', 'hostname'])
    expect(env).toEqual({GOLDENTOOTH_INVENTORY: 'inventory/lab', NO_COLOR: '1'})
  })

  it('leaves flags after the command alone', () => {
    const env: Record<string, string> = {}
    expect(hoistLeadingFlags(['command', 'all', '-i', 'x'], env)).toEqual(['command', 'all', '-i', 'x'])
    expect(env).toEqual({})
  })
})

describe('hoistLeadingFlags with the vault password file', () => {
  it('moves --vault-password-file, spaced or with =, like -i', () => {
    const env: Record<string, string> = {}
    const args = hoistLeadingFlags(
      ['--vault-password-file', '/pw', '--inventory=inv', 'list_groups', '--vault-password-file', 'kept'],
      env,
    )
    expect(args).toEqual(['list_groups', '--vault-password-file', 'kept'])
    expect(env).toEqual({ANSIBLE_VAULT_PASSWORD_FILE: '/pw', GOLDENTOOTH_INVENTORY: 'inv'})
  })
})
