import {describe, expect, it} from 'vitest'

import type {HostResult} from '../../src/fanout/results.js'

import {summarize, toJson} from '../../src/fanout/results.js'
import {fold} from '../../src/output/fold.js'
import {rawText} from '../../src/output/host-text.js'
import {renderFolded, renderSummary} from '../../src/output/run-report.js'

const result = (host: string, over: Partial<HostResult> = {}): HostResult => ({
  durationMs: 12,
  error: null,
  exitCode: 0,
  host,
  status: 'ok',
  stderr: '',
  stdout: 'hello\n',
  ...over,
})

describe('fold', () => {
  it('folds hosts whose stdout, stderr and exit code are identical, in first-host order', () => {
    const results = [
      result('bettley'),
      result('cargyll', {exitCode: 1, status: 'failed', stdout: ''}),
      result('dalt'),
      result('erenford', {
        error: 'connection refused (10.77.0.14:22)',
        exitCode: null,
        status: 'unreachable',
        stdout: '',
      }),
      result('fenn', {exitCode: 1, status: 'failed', stdout: ''}),
    ]
    expect(fold(results).map((block) => block.hosts)).toEqual([['bettley', 'dalt'], ['cargyll', 'fenn'], ['erenford']])
  })

  it('keeps hosts apart when only stderr differs', () => {
    const results = [result('a', {stderr: 'warn\n'}), result('b')]
    expect(fold(results)).toHaveLength(2)
  })

  it('renders a header per block, the shared output, stderr under its own line', () => {
    const text = renderFolded(
      [
        result('bettley', {stdout: 'up 3 days\n'}),
        result('cargyll', {stdout: 'up 3 days\n'}),
        result('dalt', {exitCode: 2, status: 'failed', stderr: 'no such unit\n', stdout: ''}),
        result('erenford', {
          error: 'connection refused (127.0.0.1:1)',
          exitCode: null,
          status: 'unreachable',
          stdout: '',
        }),
        result('fenn', {error: 'timed out after 5 s', exitCode: null, status: 'failed', stdout: 'partial'}),
      ],
      rawText,
    )
    expect(text).toBe(
      [
        'bettley,cargyll (2) | rc=0',
        'up 3 days',
        'dalt (1) | rc=2',
        'stderr:',
        'no such unit',
        'erenford (1) | UNREACHABLE: connection refused (127.0.0.1:1)',
        'fenn (1) | timed out after 5 s',
        'partial',
        '',
      ].join('\n'),
    )
  })
})

describe('summary and JSON', () => {
  const results = [
    result('a'),
    result('b', {exitCode: 3, status: 'failed'}),
    result('c', {error: 'refused', exitCode: null, status: 'unreachable', stdout: ''}),
  ]

  it('counts ok, failed and unreachable', () => {
    expect(summarize(results, 1234)).toEqual({durationMs: 1234, failed: 1, ok: 1, unreachable: 1})
    expect(renderSummary(summarize(results, 1234))).toBe('1 ok, 1 failed, 1 unreachable (1.2 s)\n')
  })

  it('has exactly the documented shape', () => {
    const json = toJson(results, 50)
    expect(Object.keys(json)).toEqual(['results', 'summary'])
    expect(json.results[1]).toEqual({
      durationMs: 12,
      error: null,
      exitCode: 3,
      host: 'b',
      ok: false,
      stderr: '',
      stdout: 'hello\n',
    })
    expect(json.results.map((r) => r.ok)).toEqual([true, false, false])
    expect(Object.keys(json.summary).sort()).toEqual(['durationMs', 'failed', 'ok', 'unreachable'])
  })
})
