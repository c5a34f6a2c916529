import path from 'node:path'
import {expect} from 'vitest'

import type {RenderedHost} from '../../src/engine/render.js'

/** Compare every rendered file (and the plan) with its committed golden under test/golden/<role>/<host>/. */
export async function expectGoldens(role: string, rendered: readonly RenderedHost[]): Promise<void> {
  for (const host of rendered) {
    const root = path.join(import.meta.dirname, '..', 'golden', role, host.host)
    for (const file of host.files) {
      await expect(file.content.toString('utf8')).toMatchFileSnapshot(
        path.join(root, `${file.path}${file.partial ? '.lines' : ''}`),
      )
    }
    await expect(`${host.plan.join('\n')}\n`).toMatchFileSnapshot(path.join(root, 'plan.txt'))
  }
}
