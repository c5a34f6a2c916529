import {describe, expect, it} from 'vitest'

import {mergeObserved, parseProbe} from '../../src/engine/observed.js'
import {probeSpecFor} from '../../src/engine/probe-spec.js'

const empty = () => parseProbe('', probeSpecFor([]))

describe('mergeObserved', () => {
  it('extends every map with the later probe’s, whose entries win', () => {
    const into = {
      ...empty(),
      groups: new Map([['a', true]]),
      paths: new Map([['/p', {exists: false as const}]]),
      units: new Map([
        [
          'x.service',
          {
            activeState: 'active',
            conditionResult: '',
            loadState: 'loaded',
            subState: 'running',
            unitFileState: 'enabled',
          },
        ],
      ]),
    }
    const extra = {
      ...empty(),
      groups: new Map([['b', false]]),
      modules: new Map([['m', 'loaded' as const]]),
      paths: new Map([
        ['/p', {exists: true as const, group: 'root', mode: 0o644, owner: 'root', size: 0, type: 'file' as const}],
      ]),
    }
    const merged = mergeObserved(into, extra)
    expect(merged.groups).toEqual(
      new Map([
        ['a', true],
        ['b', false],
      ]),
    )
    expect(merged.modules).toEqual(new Map([['m', 'loaded']]))
    expect(merged.paths.get('/p')).toMatchObject({exists: true, type: 'file'})
    expect([...merged.units.keys()]).toEqual(['x.service'])
    expect(into.groups).toEqual(new Map([['a', true]]))
  })

  it('keeps the first probe’s facts and pending handlers', () => {
    const into = {...empty(), daemonReloadPending: true, pending: [{action: 'restart' as const, service: 'a.service'}]}
    const extra = {...empty(), facts: {...empty().facts, hostname: 'later'}}
    const merged = mergeObserved(into, extra)
    expect(merged).toMatchObject({daemonReloadPending: true, facts: into.facts, pending: into.pending})
  })

  it('merges a map it was never told about', () => {
    const into = Object.assign(empty(), {added: new Map([['a', 1]])})
    const extra = Object.assign(empty(), {added: new Map([['b', 2]])})
    expect(mergeObserved(into, extra)).toMatchObject({
      added: new Map([
        ['a', 1],
        ['b', 2],
      ]),
    })
  })
})
