import {describe, expect, it} from 'vitest'

import type {HostReport} from '../../src/engine/results.js'

import {applyInWaves} from '../../src/engine/apply-waves.js'
import {failedHostReport, hostReport} from '../../src/engine/results.js'

const ok = (host: string): HostReport => hostReport(host, [], [], 0)
const failed = (host: string): HostReport => failedHostReport(host, 'it broke', false, 0)

/** Apply every host of `work` (true: it succeeds), recording the order hosts start and finish in. */
async function run(
  batches: string[][],
  work: Record<string, boolean>,
  options: {earlier?: HostReport[]; forks?: number; serial?: boolean} = {},
) {
  const events: string[] = []
  let running = 0
  let most = 0
  const signal = new AbortController().signal
  const result = await applyInWaves(
    batches,
    new Map(Object.entries(work)),
    async (host, succeeds) => {
      events.push(`start ${host}`)
      most = Math.max(most, ++running)
      await new Promise((resolve) => setTimeout(resolve, 10))
      running--
      events.push(`end ${host}`)
      return succeeds ? ok(host) : failed(host)
    },
    {
      earlier: new Map((options.earlier ?? []).map((report) => [report.host, report])),
      forks: options.forks ?? 10,
      serial: options.serial ?? false,
      signal,
    },
  )
  return {events, most, reports: [...result.reports.values()].map((report) => [report.host, report.ok]), result}
}

describe('applyInWaves', () => {
  it('applies batch after batch, hosts of a batch together', async () => {
    const {events} = await run([['h1', 'h2'], ['h3']], {h1: true, h2: true, h3: true})
    expect(events).toEqual(['start h1', 'start h2', 'end h1', 'end h2', 'start h3', 'end h3'])
  })

  it.each([
    [1, 1],
    [2, 2],
    [10, 4],
  ])('--forks %i: at most %i hosts at once', async (forks, expected) => {
    const {most} = await run([['h1', 'h2', 'h3', 'h4']], {h1: true, h2: true, h3: true, h4: true}, {forks})
    expect(most).toBe(expected)
  })

  it('applies only the hosts with work (the others the probe did not reach)', async () => {
    const {reports} = await run([['h1', 'h2'], ['h3']], {h1: true, h3: true})
    expect(reports).toEqual([
      ['h1', true],
      ['h3', true],
    ])
  })

  const stops: Array<
    [string, string[][], Record<string, boolean>, {earlier?: HostReport[]; serial: boolean}, boolean, string[]]
  > = [
    [
      '--serial: a failed host stops the batches after its own',
      [['h1', 'h2'], ['h3']],
      {h1: false, h2: true, h3: true},
      {serial: true},
      true,
      ['h1', 'h2'],
    ],
    [
      '--serial: the last batch failing stops nothing more',
      [['h1'], ['h2']],
      {h1: true, h2: false},
      {serial: true},
      true,
      ['h1', 'h2'],
    ],
    [
      '--serial: a host of the batch the probe failed on stops the rest',
      [['h1', 'h2'], ['h3']],
      {h2: true, h3: true},
      {earlier: [failed('h1')], serial: true},
      true,
      ['h2'],
    ],
    [
      '--serial: an earlier failure outside the batch does not',
      [['h1'], ['h2']],
      {h1: true, h2: true},
      {earlier: [failed('h9')], serial: true},
      false,
      ['h1', 'h2'],
    ],
    [
      'without --serial a failure stops nothing',
      [['h1'], ['h2']],
      {h1: false, h2: true},
      {serial: false},
      false,
      ['h1', 'h2'],
    ],
  ]
  it.each(stops)('%s', async (_, batches, work, options, stopped, hosts) => {
    const {reports, result} = await run(batches, work, options)
    expect(result.stopped).toBe(stopped)
    expect(reports.map(([host]) => host)).toEqual(hosts)
  })

  describe('interrupted', () => {
    async function interruptedAt(batches: string[][], at: string, forks = 10) {
      const controller = new AbortController()
      const reports: string[] = []
      const result = await applyInWaves(
        batches,
        new Map(batches.flat().map((host) => [host, host])),
        async (host) => {
          await new Promise((resolve) => setTimeout(resolve, host === at ? 10 : 20))
          if (host === at) controller.abort('SIGINT')
          reports.push(host)
          return ok(host)
        },
        {earlier: new Map(), forks, serial: true, signal: controller.signal},
      )
      return {reports, result}
    }

    it('during the first batch: the running hosts finish, no later batch starts', async () => {
      const {reports, result} = await interruptedAt([['h1', 'h2'], ['h3'], ['h4']], 'h1')
      expect(reports).toEqual(['h1', 'h2'])
      expect([...result.reports.keys()]).toEqual(['h1', 'h2'])
      expect(result.stopped).toBe(false)
    })

    it('after the first batch: no later batch starts', async () => {
      const {reports} = await interruptedAt([['h1'], ['h2'], ['h3']], 'h1')
      expect(reports).toEqual(['h1'])
    })

    it('within a batch limited by --forks: the hosts waiting for a slot do not start', async () => {
      const {reports} = await interruptedAt([['h1', 'h2', 'h3']], 'h1', 1)
      expect(reports).toEqual(['h1'])
    })

    it('before anything: nothing starts', async () => {
      const controller = new AbortController()
      controller.abort('SIGINT')
      const result = await applyInWaves([['h1']], new Map([['h1', 'h1']]), async (host) => ok(host), {
        earlier: new Map(),
        forks: 1,
        serial: false,
        signal: controller.signal,
      })
      expect(result.reports.size).toBe(0)
    })
  })
})
