import {describe, expect, it} from 'vitest'

import type {PlannedResource} from '../../src/engine/compare.js'
import type {PendingHandler} from '../../src/engine/observed.js'
import type {Notify} from '../../src/engine/resources.js'

import {handlersFor} from '../../src/engine/handlers.js'

const change = (...notify: Notify[]): PlannedResource => ({
  id: 'file:/etc/x',
  notify,
  reasons: [],
  resource: {group: 'root', kind: 'directory', mode: 0o755, owner: 'root', path: '/etc/x'},
  status: 'change',
  unitChanged: false,
})

describe('handlersFor', () => {
  const cases: Array<[string, PlannedResource[], PendingHandler[], Array<{action: string; unit: string}>]> = [
    ['nothing notified, nothing pending', [change()], [], []],
    [
      'a notified service, as its unit',
      [change({action: 'restart', service: 'consul'})],
      [],
      [{action: 'restart', unit: 'consul.service'}],
    ],
    [
      'a unit name kept as it is',
      [change({action: 'reload', service: 'mnt-nfs.mount'})],
      [],
      [{action: 'reload', unit: 'mnt-nfs.mount'}],
    ],
    [
      'once each, in the order first notified',
      [
        change({action: 'restart', service: 'b'}, {action: 'restart', service: 'a'}),
        change({action: 'restart', service: 'b'}),
      ],
      [],
      [
        {action: 'restart', unit: 'b.service'},
        {action: 'restart', unit: 'a.service'},
      ],
    ],
    [
      'reload and restart of one unit are two handlers',
      [change({action: 'reload', service: 'a'}, {action: 'restart', service: 'a'})],
      [],
      [
        {action: 'reload', unit: 'a.service'},
        {action: 'restart', unit: 'a.service'},
      ],
    ],
    [
      'a restart left pending by an earlier run',
      [],
      [{action: 'restart', service: 'nomad.service'}],
      [{action: 'restart', unit: 'nomad.service'}],
    ],
    [
      'pending after the notified, a handler both notified and pending once',
      [change({action: 'restart', service: 'consul'})],
      [
        {action: 'reload', service: 'vault.service'},
        {action: 'restart', service: 'consul.service'},
      ],
      [
        {action: 'restart', unit: 'consul.service'},
        {action: 'reload', unit: 'vault.service'},
      ],
    ],
  ]
  it.each(cases)('%s', (_, planned, pending, expected) => {
    expect(handlersFor(planned, {pending})).toEqual(expected)
  })
})
