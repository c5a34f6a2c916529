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
